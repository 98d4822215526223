-- Session settings: what the client connected with (PGDATESTYLE, PGTZ, PGOPTIONS, PGAPPNAME) is what
-- RESET, RESET ALL and DISCARD ALL return to, and what pg_settings calls the reset value.
\pset null '<null>'
SELECT name, setting, source, reset_val FROM pg_settings
  WHERE name IN ('DateStyle', 'TimeZone', 'work_mem', 'application_name', 'extra_float_digits',
                 'IntervalStyle', 'bytea_output', 'search_path', 'statement_timeout') ORDER BY name;
SHOW datestyle;
SELECT '2006-08-13 12:34:56'::timestamptz, interval '1 day 2 hours', 0.1::float8, '\x00ff'::bytea;

SET datestyle = 'SQL, DMY';
SET TIME ZONE 'Asia/Tokyo';
SET work_mem = '12MB';
SET intervalstyle = 'sql_standard';
SET extra_float_digits = 0;
SET bytea_output = 'escape';
SET search_path = pg_catalog, public;
SET application_name = 'renamed';
SELECT name, setting, source, reset_val FROM pg_settings
  WHERE name IN ('DateStyle', 'TimeZone', 'work_mem', 'application_name', 'extra_float_digits',
                 'IntervalStyle', 'bytea_output', 'search_path', 'statement_timeout') ORDER BY name;
SELECT '2006-08-13 12:34:56'::timestamptz, interval '1 day 2 hours', 0.1::float8, '\x00ff'::bytea;

RESET datestyle;
SHOW datestyle;
SELECT '2006-08-13 12:34:56'::timestamptz;
RESET work_mem;
SHOW work_mem;
SET timezone TO DEFAULT;
SHOW timezone;
SELECT name, setting, source, reset_val FROM pg_settings
  WHERE name IN ('DateStyle', 'TimeZone', 'work_mem', 'application_name', 'extra_float_digits',
                 'IntervalStyle', 'bytea_output', 'search_path', 'statement_timeout') ORDER BY name;

SET datestyle = 'German';
RESET ALL;
SELECT name, setting, source, reset_val FROM pg_settings
  WHERE name IN ('DateStyle', 'TimeZone', 'work_mem', 'application_name', 'extra_float_digits',
                 'IntervalStyle', 'bytea_output', 'search_path', 'statement_timeout') ORDER BY name;
SELECT '2006-08-13 12:34:56'::timestamptz, interval '1 day 2 hours', 0.1::float8, '\x00ff'::bytea;

-- SET LOCAL and set_config(..., true) last until the transaction ends
BEGIN;
SET LOCAL datestyle = 'SQL';
SELECT set_config('timezone', 'Europe/Berlin', true);
SHOW datestyle;
SHOW timezone;
COMMIT;
SHOW datestyle;
SHOW timezone;

-- a SET in a transaction that rolls back is undone
BEGIN;
SET work_mem = '99MB';
ROLLBACK;
SHOW work_mem;

-- set_config for the session, then RESET
SELECT set_config('statement_timeout', '5s', false);
SHOW statement_timeout;
RESET statement_timeout;
SHOW statement_timeout;

-- one string, several statements: the reset and what follows it
SET datestyle = 'ISO, DMY'; RESET datestyle; SHOW datestyle;

SET timezone = 'UTC';
SET application_name = 'changed again';
DISCARD ALL;
SHOW application_name;
SHOW timezone;
SHOW work_mem;
SELECT name, setting, source, reset_val FROM pg_settings
  WHERE name IN ('DateStyle', 'TimeZone', 'work_mem', 'application_name', 'extra_float_digits')
  ORDER BY name;
SELECT '2006-08-13 12:34:56'::timestamptz;
