// HOSTILE: never finishes loading: an infinite loop at the top level.
for (;;) {
  // spin
}
