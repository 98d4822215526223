-- psql through tandem must print exactly what it prints against PostgreSQL directly.
\pset null '(null)'
CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[], data jsonb, raw bytea,
    at timestamptz DEFAULT '2024-01-01 00:00:00+00');
INSERT INTO items (name, price, tags, data, raw) VALUES
    ('plain', 9.99, '{a,b}', '{"k": 1}', '\x00ff'),
    ('ünïcødé ✓ 漢字 😀', NULL, NULL, NULL, NULL),
    ('quote''s', 0.5, '{"with space","NULL"}', '{"nested": {"x": [1, 2, null]}}', 'abc');
SELECT * FROM items ORDER BY id;
BEGIN;
UPDATE items SET price = price * 2 WHERE price IS NOT NULL;
SELECT id, price FROM items ORDER BY id;
ROLLBACK;
SELECT sum(price) FROM items;
BEGIN;
INSERT INTO items (name) VALUES ('in a failed transaction');
SELECT 1/0;
SELECT 'ignored until the end of the transaction';
COMMIT;
SELECT count(*) FROM items;
INSERT INTO items (name) VALUES (NULL);
SELECT 'ok' AS status, NULL AS nothing, true AS yes, 3.14::float8 AS pi, '2024-02-29'::date AS leap,
    '-infinity'::timestamp AS never, 1e300 * 10 AS big;
SELECT * FROM no_such_table;
SELEC typo;
\copy items (name, price) FROM 'items.csv' WITH (FORMAT csv)
SELECT name, price FROM items WHERE id > 3 ORDER BY id;
\copy (SELECT id, name, price FROM items ORDER BY id) TO 'out.csv' WITH (FORMAT csv, HEADER)
SELECT jsonb_build_object('a', 1, 'b', ARRAY[1, 2]) AS j, '{1,2,3}'::int[] AS arr, '\xdeadbeef'::bytea AS b,
    ARRAY['x', NULL, 'y z'] AS texts;
SELECT 1 AS one \; SELECT 2 AS two \; SELECT 3 AS three;
SELECT 1 \; SELECT 1/0 \; SELECT 3;
SET application_name = 'psql-through-tandem';
SHOW application_name;
DO $$ BEGIN RAISE NOTICE 'notice from %', 'plpgsql'; END $$;
PREPARE by_id (int) AS SELECT name FROM items WHERE id = $1;
EXECUTE by_id(1);
DEALLOCATE by_id;
CREATE TEMP TABLE scratch AS SELECT g FROM generate_series(1, 5) g;
SELECT sum(g) FROM scratch;
SELECT g, md5(g::text) FROM generate_series(1, 100000) g;
