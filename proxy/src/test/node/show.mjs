// Prints what a client library hands the application, in a form two runs can be compared by: the
// differential tests run each script against PostgreSQL and through tandem and compare the bytes.

export function show(label, value) {
  console.log(`${label}: ${JSON.stringify(value, plain)}`);
}

/** Runs one step; a failure prints its SQLSTATE and message (the test compares those too) and the script goes on. */
export async function step(label, run) {
  try {
    show(label, await run());
  } catch (e) {
    const cause = e.code ? e : e.cause ?? e; // an ORM wraps the driver's error
    console.log(`${label}: error ${cause.code ?? cause.name} ${cause.message}`);
  }
}

function plain(key, value) {
  if (typeof value === 'bigint') {
    return `${value}n`;
  }
  if (value && value.type === 'Buffer' && Array.isArray(value.data)) {
    return `\\x${Buffer.from(value.data).toString('hex')}`;
  }
  return value;
}
