/** Input an index refuses (a chunk, a query, a parameter): what failed, where, and what to do. */
export class IndexInputError extends RangeError {
  constructor(where: string, problem: string, remedy: string) {
    super(`${where}: ${problem}. ${remedy}`);
    this.name = 'IndexInputError';
  }
}
