// node-postgres (pg) as an application uses it: a pool, parameterised queries (prepared when
// named), the types it parses, a transaction, and errors with their SQLSTATE.
import pg from 'pg';
import { show, step } from './show.mjs';

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 10000 });
const rows = (r) => ({ rows: r.rows, count: r.rowCount, command: r.command,
  fields: r.fields.map((f) => [f.name, f.dataTypeID]) });

await step('connect', async () => rows(await pool.query('SELECT 1 AS one')));
await step('drop', async () => rows(await pool.query('DROP TABLE IF EXISTS notes, authors CASCADE')));
await step('create authors', async () => rows(await pool.query(
  'CREATE TABLE authors (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)')));
await step('create notes', async () => rows(await pool.query(`
  CREATE TABLE IF NOT EXISTS notes (
    id serial PRIMARY KEY,
    author_id integer REFERENCES authors (id) ON DELETE CASCADE,
    body text NOT NULL DEFAULT '',
    stars integer,
    score real,
    created timestamp NOT NULL DEFAULT '2024-01-01 00:00:00')`)));
await step('create again', async () => rows(await pool.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY)')));
await step('authors', async () => rows(await pool.query(
  "INSERT INTO authors (name) VALUES ($1), ($2) RETURNING *", ['ada', 'grace'])));
await step('identity refuses a value', async () => rows(await pool.query(
  "INSERT INTO authors (id, name) VALUES (10, 'x')")));
for (const [author, body, stars, score] of [[1, 'first', 5, 0.5], [2, 'second', null, 1.25], [1, '', 3, null]]) {
  await step(`insert ${body}`, async () => rows(await pool.query({
    name: 'insert-note',
    text: 'INSERT INTO notes (author_id, body, stars, score) VALUES ($1, $2, $3, $4) RETURNING id, body, created',
    values: [author, body, stars, score],
  })));
}
await step('select', async () => rows(await pool.query(
  'SELECT n.id, a.name, n.body, n.stars, n.score FROM notes n JOIN authors a ON a.id = n.author_id ORDER BY n.id')));
await step('prepared select', async () => rows(await pool.query({
  name: 'by-author', text: 'SELECT body FROM notes WHERE author_id = $1 ORDER BY id', values: [1] })));
await step('count', async () => rows(await pool.query('SELECT count(*), sum(stars), avg(score) FROM notes')));
await step('transaction', async () => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("UPDATE notes SET body = body || '!' WHERE author_id = $1", [2]);
    await client.query('SAVEPOINT s1');
    await client.query('DELETE FROM notes');
    await client.query('ROLLBACK TO SAVEPOINT s1');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  return rows(await pool.query('SELECT id, body FROM notes ORDER BY id'));
});
await step('cascade', async () => rows(await pool.query('DELETE FROM authors WHERE id = 1')));
await step('after cascade', async () => rows(await pool.query('SELECT id, author_id FROM notes ORDER BY id')));
await step('not null', async () => rows(await pool.query('INSERT INTO notes (author_id, body) VALUES (2, NULL)')));
await step('syntax', async () => rows(await pool.query('SELEC 1')));
await pool.end();
