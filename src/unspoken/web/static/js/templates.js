// Guided chapter templates, chosen on this device; their names travel only inside the sealed
// chapter box. The same steps and (in English) wording as src/unspoken/client/templates.py.

import { t } from "./i18n.js";

// The words are read from the catalogue each time they are shown (the reader's language).
const STEPS = [
  ["feelings", "chapters.step_feelings", "chapters.step_feelings_prompt"],
  ["realities", "chapters.step_realities", "chapters.step_realities_prompt"],
  ["triggers", "chapters.step_triggers", "chapters.step_triggers_prompt"],
  ["responsibility", "chapters.step_responsibility", "chapters.step_responsibility_prompt"],
  ["plan", "chapters.step_plan", "chapters.step_plan_prompt"],
];

export const TEMPLATES = {
  "after-a-fight": {
    get label() {
      return t("chapters.after_a_fight");
    },
    get note() {
      return t("chapters.after_a_fight_note");
    },
    steps: STEPS.map(([id, title, prompt]) => ({
      id,
      get title() {
        return t(title);
      },
      get prompt() {
        return t(prompt);
      },
    })),
  },
};

/**
 * The step a guided chapter is on: each partner writes once per step (restatements aside), so
 * the step moves on after every second entry, and stays on the last one.
 */
export function currentStep(template, entriesWritten) {
  const steps = TEMPLATES[template]?.steps;
  if (!steps) return null;
  const index = Math.min(steps.length - 1, Math.floor(entriesWritten / 2));
  return { ...steps[index], number: index + 1, of: steps.length };
}
