// The choices of --sandbox, in a file of their own so the CLI checks its
// arguments without loading the grading modules.
export type SandboxMode = 'strict' | 'auto' | 'off';
export const SANDBOX_MODES: readonly SandboxMode[] = ['strict', 'auto', 'off'];
