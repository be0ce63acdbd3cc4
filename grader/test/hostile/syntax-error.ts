// HOSTILE: does not parse.
export class Mutex {
  lock( {
}
