// Colours for the learner's terminal. node:util's styleText (no dependency);
// plain text when stdout is not a terminal (a log, a pipe, a test) or when the
// learner set NO_COLOR, so saved output stays readable.
import { styleText } from 'node:util';

type Colour = 'green' | 'red' | 'yellow' | 'cyan' | 'gray' | 'bold' | 'dim';

const colourful = process.stdout.isTTY === true && !process.env.NO_COLOR;

export function paint(colour: Colour, text: string): string {
  return colourful ? styleText(colour, text) : text;
}

export const mark = {
  passed: () => paint('green', '✓'),
  failed: () => paint('red', '✗'),
  notStarted: () => paint('gray', '·'),
  unchecked: () => paint('yellow', '?'),
};
