// What the parent and the writers of lessons/24-files.md agree on: how many
// lines each writes, and the two cells of their start line.
export const LINES = 1000;
export const READY = 0; // writers ready to go
export const GO = 1; // 1 once the parent says go
