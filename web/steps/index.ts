/**
 * The wizard's steps, in order: the one list the step bar, each heading's number, Back and "Next: <title>"
 * and the step in the URL (by id) follow from. A step is a module of this folder exporting `{ id, title,
 * render }`; adding one is writing it and putting it here.
 */
import type { Step } from '../app';
import { choose } from './choose';
import { configure } from './configure';
import { environment } from './environment';
import { manifests } from './manifests';
import { review } from './review';
import { verify } from './verify';
import { wire } from './wire';

export const STEPS: readonly Step[] = [environment, manifests, choose, configure, review, wire, verify];

/** The ids in order: what a link's step is checked against (web/state.ts). */
export const STEP_IDS: readonly string[] = STEPS.map((step) => step.id);

/** The step's place in the list, from 0; -1 for an id that is not a step. */
export const stepIndex = (id: string): number => STEP_IDS.indexOf(id);

/** "3. Configure": the step bar's label and the section's heading. */
export const numbered = (index: number): string => `${index + 1}. ${STEPS[index].title}`;
