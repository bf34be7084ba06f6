// What the matrix could not read: one line naming the file (and line) and what was wrong.
//   throw new MatrixInputError('reports/nightly/x/cucumber.json: not cucumber JSON (expected an array of features)');

export class MatrixInputError extends Error {
  override name = 'MatrixInputError';
}
