// Guided chapter templates, chosen on this device; their names travel only inside the sealed
// chapter box. The same steps and wording as src/unspoken/client/templates.py.

export const TEMPLATES = {
  "after-a-fight": {
    label: "After a fight",
    note: "Five guided steps, from Gottman’s Aftermath of a Fight",
    steps: [
      ["feelings", "Feelings", "Share how you felt, one feeling word at a time, without explaining why yet."],
      ["realities", "Realities", "Describe what you saw, heard and needed — your reality, not a verdict."],
      ["triggers", "Triggers", "Name what the moment reminded you of: the older hurt that made it bigger."],
      ["responsibility", "Responsibility", "Say what part was yours, and what set you up for it."],
      ["plan", "A plan for next time", "Each of you: one thing that would make it go better next time."],
    ].map(([id, title, prompt]) => ({ id, title, prompt })),
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
