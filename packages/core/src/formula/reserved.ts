/** R's reserved words: a column of such a name needs backquotes, in a formula and in R's names. */
export const RESERVED = new Set([
  'if',
  'else',
  'repeat',
  'while',
  'function',
  'for',
  'next',
  'break',
  'in',
  'NULL',
  'NA',
  'NA_integer_',
  'NA_real_',
  'NA_character_',
  'NA_complex_',
]);

/** Reserved words the parser reads as constants (TRUE/FALSE booleans, Inf/NaN numbers). */
export const CONSTANTS = new Set(['TRUE', 'FALSE', 'Inf', 'NaN']);
