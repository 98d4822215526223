-- also over SQLite
-- What ORMs and drivers read of the catalogs: information_schema and pg_catalog over tables made in PostgreSQL's dialect
\pset null '<null>'
CREATE TABLE owners (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE, code char(4), score numeric(10,2) DEFAULT 0, at timestamptz DEFAULT now());
CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id integer NOT NULL REFERENCES owners (id), tags jsonb, ok boolean, r real, d double precision);
SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name;
SELECT table_name, column_name, ordinal_position, column_default, is_nullable, data_type, character_maximum_length, numeric_precision, numeric_scale, udt_name, is_identity, identity_generation FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position;
SELECT c.relname, c.relkind, n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1;
SELECT a.attname, t.typname, a.attnum, a.attnotnull, a.atttypmod FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid WHERE c.relname = 'owners' AND a.attnum > 0 ORDER BY a.attnum;
select b.oid, b.typarray from pg_catalog.pg_type a left join pg_catalog.pg_type b on b.oid = a.typelem where a.typcategory = 'A' and b.oid = 23 group by b.oid, b.typarray order by b.oid;
SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('public', 'information_schema', 'pg_catalog') ORDER BY 1;

CREATE SCHEMA app_meta;
CREATE TABLE app_meta.log (id bigserial PRIMARY KEY, line text);
SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2;
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'app_meta';
SELECT column_name, column_default, data_type FROM information_schema.columns WHERE table_schema = 'app_meta' ORDER BY ordinal_position;
DROP TABLE app_meta.log;
DROP SCHEMA app_meta;
DROP TABLE items, owners;
SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public';
