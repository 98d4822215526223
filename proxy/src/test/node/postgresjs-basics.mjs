// postgres.js as an application uses it: connect (it reads pg_type's array types at startup),
// a table in PostgreSQL's dialect, tagged-template queries (prepared, typed parameters),
// a transaction, and the types it parses.
import postgres from 'postgres';
import { show, step } from './show.mjs';

const sql = postgres({ max: 1, onnotice: () => {}, connect_timeout: 10 });
const rows = (result) => ({ rows: [...result], count: result.count, command: result.command,
  columns: result.columns?.map((c) => [c.name, c.type]) });

await step('connect', async () => rows(await sql`SELECT 1 AS one`));
await step('drop', async () => rows(await sql.unsafe('DROP TABLE IF EXISTS items, owners CASCADE')));
await step('create owners', async () => rows(await sql`
  CREATE TABLE owners (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE)`));
await step('create items', async () => rows(await sql`
  CREATE TABLE items (
    id bigserial PRIMARY KEY,
    owner_id integer NOT NULL REFERENCES owners (id),
    name text NOT NULL,
    qty smallint NOT NULL DEFAULT 1,
    price numeric(10, 2),
    weight double precision,
    active boolean NOT NULL DEFAULT true,
    tags jsonb,
    made date,
    seen timestamptz)`));
await step('index', async () => rows(await sql`CREATE INDEX ON items (owner_id)`));
await step('owners', async () => rows(await sql`
  INSERT INTO owners (name) VALUES ('ann'), ('bob') RETURNING id, name`));
for (const [owner, name, qty, price, weight, active, tags, made, seen] of [
  [1, 'apple', 3, '12.50', 0.1, true, { color: 'red', n: [1, 2] }, '2024-02-29', new Date('2024-01-15T10:30:00.5Z')],
  [1, 'pear', 1, '0.99', 1e-7, false, null, null, null],
  [2, 'plum', 12, '1000.00', 123456.789, true, ['a', 'b'], '1999-12-31', new Date('2000-01-01T00:00:00Z')],
]) {
  await step(`insert ${name}`, async () => rows(await sql`
    INSERT INTO items (owner_id, name, qty, price, weight, active, tags, made, seen)
    VALUES (${owner}, ${name}, ${qty}, ${price}, ${weight}, ${active}, ${tags === null ? null : sql.json(tags)},
            ${made}, ${seen})
    RETURNING id, name, qty, price, active`));
}
await step('select all', async () => rows(await sql`SELECT * FROM items ORDER BY id`));
await step('select by param', async () => rows(await sql`
  SELECT i.name, o.name AS owner, i.price * i.qty AS total
  FROM items i JOIN owners o ON o.id = i.owner_id
  WHERE i.qty >= ${2} AND i.active = ${true} ORDER BY total DESC`));
await step('json', async () => rows(await sql`
  SELECT name, tags->>'color' AS color, tags->'n' AS n FROM items WHERE tags IS NOT NULL ORDER BY id`));
await step('aggregate', async () => rows(await sql`
  SELECT owner_id, count(*) AS n, sum(qty) AS qty, sum(price) AS total, avg(weight) AS weight, max(seen) AS last
  FROM items GROUP BY owner_id ORDER BY owner_id`));
await step('transaction', async () => sql.begin(async (tx) => {
  await tx`UPDATE items SET qty = qty + 1 WHERE name = ${'pear'}`;
  const [row] = await tx`SELECT qty FROM items WHERE name = ${'pear'}`;
  return row;
}));
await step('rolled back', async () => {
  try {
    await sql.begin(async (tx) => {
      await tx`DELETE FROM items`;
      throw new Error('undo');
    });
  } catch (e) {
    if (e.message !== 'undo') throw e;
  }
  return rows(await sql`SELECT count(*) AS n FROM items`);
});
await step('unique violation', async () => rows(await sql`INSERT INTO owners (name) VALUES ('ann')`));
await step('upsert', async () => rows(await sql`
  INSERT INTO owners (id, name) VALUES (2, 'bob') ON CONFLICT (id) DO UPDATE SET name = excluded.name || '!'
  RETURNING *`));
await sql.end();
