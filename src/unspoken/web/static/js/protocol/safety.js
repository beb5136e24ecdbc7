// The safety phrase two partners compare once, in person, to know no one sits between them.

import { compareBytes, lp } from "./encoding.js";
import { sha256 } from "./keys.js";

const PHRASE_WORDS = 8;

// The same 256 words, in the same order, as src/unspoken/protocol/safety.py; the shared
// vectors pin the list, so one byte of the digest picks the same word on both sides.
// prettier-ignore
export const WORDS = Object.freeze([
  "acorn", "almond", "amber", "anchor", "apple", "april", "arbor", "arrow", "aspen", "autumn",
  "badge", "bakery", "ballad", "bamboo", "banjo", "barley", "basil", "beacon", "bell", "berry",
  "birch", "biscuit", "blanket", "bloom", "blossom", "bluebell", "bonfire", "book", "bottle",
  "boulder", "bramble", "branch", "breeze", "brick", "bridge", "brook", "bubble", "bucket",
  "butter", "button", "cabin", "cactus", "cake", "camel", "candle", "canoe", "canyon", "caramel",
  "carrot", "castle", "cedar", "cello", "chalk", "cherry", "chestnut", "cider", "cinnamon", "clay",
  "clover", "cloud", "cobble", "cocoa", "comet", "compass", "copper", "coral", "cottage", "cotton",
  "cricket", "crystal", "daisy", "dawn", "delta", "desert", "dew", "diamond", "dolphin", "dove",
  "dune", "eagle", "ember", "emerald", "falcon", "feather", "fern", "fiddle", "field", "fig",
  "firefly", "flame", "flint", "flute", "forest", "fossil", "fountain", "fox", "garden", "garnet",
  "ginger", "glacier", "glade", "globe", "granite", "grape", "harbor", "harvest", "hazel",
  "heather", "hedge", "hill", "honey", "horizon", "island", "ivory", "ivy", "jade", "jasmine",
  "jelly", "journal", "juniper", "kettle", "kite", "kiwi", "lagoon", "lake", "lantern", "lark",
  "laurel", "lavender", "lemon", "lily", "linen", "lotus", "maple", "marble", "meadow", "melody",
  "mint", "mirror", "mitten", "moon", "morning", "moss", "mountain", "muffin", "nectar", "nest",
  "nutmeg", "oak", "oasis", "ocean", "olive", "orchard", "otter", "owl", "paddle", "pansy",
  "paper", "parsley", "pasta", "peach", "pearl", "pebble", "pepper", "piano", "pillow", "pine",
  "planet", "plum", "pocket", "pond", "poppy", "puzzle", "quill", "quilt", "rabbit", "radish",
  "rain", "raven", "reed", "ribbon", "river", "robin", "rocket", "rose", "ruby", "saddle",
  "saffron", "sage", "sail", "salmon", "sand", "satin", "seashell", "shadow", "shore", "silk",
  "silver", "sketch", "sky", "slate", "snow", "sonnet", "sparrow", "spice", "spring", "spruce",
  "star", "stone", "stream", "sugar", "summer", "sun", "swan", "teacup", "thistle", "thunder",
  "tide", "timber", "toast", "topaz", "tulip", "tunnel", "turnip", "twig", "umbrella", "valley",
  "velvet", "violet", "voyage", "wafer", "walnut", "water", "wave", "willow", "window", "winter",
  "wren", "yarrow", "zephyr", "anise", "beetle", "cinder", "dahlia", "echo", "fable", "garland",
  "harp", "indigo", "jasper", "kelp", "lilac", "maize", "opal", "pilgrim", "quartz",
]);

/**
 * Eight words from every device key of both partners, sorted bytewise, so the order does not
 * matter; with one device each this is the phrase of two keys, as it always was.
 * @param {string} notebookId
 * @param {...Uint8Array} keys
 * @returns {Promise<string>}
 */
export async function safetyPhrase(notebookId, ...keys) {
  const sorted = [...keys].sort(compareBytes);
  const digest = await sha256(lp("unspoken/v1/safety", notebookId, ...sorted));
  return [...digest.subarray(0, PHRASE_WORDS)].map((byte) => WORDS[byte]).join(" ");
}
