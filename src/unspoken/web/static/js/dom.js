// Building DOM without innerHTML: every text a partner wrote lands in a text node, never in markup.

/**
 * h("p", {class: "quiet", onclick: fn, "aria-label": "…"}, "text", child, …)
 * Props starting with "on" become listeners; `text` sets textContent; the rest are attributes.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

/** Replace everything on the desk with one screen, and move focus to its heading. */
export function show(screen) {
  const desk = document.getElementById("app");
  desk.replaceChildren(screen);
  const heading = screen.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
}
