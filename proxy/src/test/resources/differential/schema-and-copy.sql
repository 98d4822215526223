-- also over SQLite
-- A schema in PostgreSQL's dialect, rows streamed in with COPY, and what the types print as
\pset null '<null>'
CREATE TABLE owners (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE, code char(4));
CREATE TABLE items (
  id bigserial PRIMARY KEY,
  owner_id integer NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
  name text NOT NULL,
  qty smallint NOT NULL DEFAULT 1,
  price numeric(10, 2),
  weight double precision,
  ratio real,
  active boolean NOT NULL DEFAULT true,
  doc jsonb
);
CREATE INDEX ON items (owner_id);
CREATE UNIQUE INDEX items_name_idx ON items USING btree (lower(name));
INSERT INTO owners (name, code) VALUES ('ann', 'A'), ('bob', 'BB') RETURNING *;
COPY items (owner_id, name, qty, price, weight, ratio, active, doc) FROM STDIN;
1	apple	3	12.50	0.1	0.5	t	{"b": 1, "a": [1, 2]}
1	tab\there	1	0.99	1e-07	\N	f	\N
2	back\\slash	12	1000.00	123456.789	2.25	t	{"k": "v"}
\.
COPY items (owner_id, name, price) FROM STDIN WITH (DELIMITER ',', NULL '');
2,with \, comma,5.5
2,\N,
\.
SELECT id, owner_id, name, qty, price, weight, ratio, active, doc FROM items ORDER BY id;
SELECT o.name, o.code, count(i.id) AS n, sum(i.qty) AS qty, sum(i.price) AS total, max(i.price) AS top,
       sum(i.price * i.qty) AS value, min(i.ratio) AS low
FROM owners o LEFT JOIN items i ON i.owner_id = o.id GROUP BY o.name, o.code ORDER BY o.name;
SELECT name, doc -> 'a' AS a, doc ->> 'k' AS k FROM items WHERE doc IS NOT NULL ORDER BY id;
SELECT 1 AS one, 2147483648 AS big, 1.50 AS fixed, -3 AS negative, qty + 1 AS next FROM items WHERE id = 1;
SELECT count(*) FROM items;
ALTER TABLE items ADD COLUMN note text NOT NULL DEFAULT '', ADD COLUMN IF NOT EXISTS extra integer;
ALTER TABLE items RENAME COLUMN weight TO mass;
ALTER TABLE items ADD CONSTRAINT qty_positive CHECK (qty > 0);
SELECT id, name, mass, note FROM items ORDER BY id LIMIT 2;
DROP TABLE items, owners;
