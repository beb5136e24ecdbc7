// A QR code of a link, drawn as one SVG path from the matrix the vendored uqr module computes
// (js/vendor/uqr.js, MIT). Built with DOM calls: no markup strings, nothing inline to style.

import { encode } from "../vendor/uqr.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A <figure> holding the code for `text`, labelled for screen readers. */
export function qrCode(text, label) {
  const { data } = encode(text, { ecc: "M", border: 2 });
  const size = data.length;
  let path = "";
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  const image = svg("svg", { viewBox: `0 0 ${size} ${size}`, class: "qr__code", role: "img", "aria-label": label });
  image.append(svg("rect", { width: size, height: size, class: "qr__paper" }), svg("path", { d: path, class: "qr__ink" }));
  const figure = document.createElement("figure");
  figure.className = "qr";
  figure.append(image);
  return figure;
}
