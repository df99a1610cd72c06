/** A rendered plot with a file-name stem (letters, digits, '-' and '_') and a human title. */
export interface NamedPlot {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}
