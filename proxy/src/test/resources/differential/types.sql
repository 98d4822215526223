-- How values print, in the client's DateStyle, TimeZone, IntervalStyle and extra_float_digits
\pset null '<null>'
SELECT 1::int2, -2::int4, 9223372036854775807::int8, 1.5::numeric(10,3), 'NaN'::numeric,
       1e308::float8, -0.0::float8, 'Infinity'::float4, 0.1::float4, 1/3::float8;
SELECT true, false, NULL::bool, 'x'::char(3), 'é😀'::text, ''::text, NULL::text;
SELECT '2024-02-29'::date, '23:59:59.999999'::time, '12:00+05:30'::timetz,
       '2024-02-29 12:34:56.789'::timestamp, '2024-02-29 12:34:56.789+00'::timestamptz,
       'infinity'::timestamptz, '-infinity'::date;
SELECT interval '1 year 2 mons 3 days 04:05:06.7', interval '-1 day', interval '0';
SELECT '\x00ff10'::bytea, ''::bytea, 'a\\b'::bytea;
SELECT '{1,2,NULL}'::int[], '{{"a b",c},{d,"e\"f"}}'::text[], ARRAY[]::int[];
SELECT '{"a": [1, 2.50, null], "b": "ü"}'::json, '{"b": 1, "a": [true]}'::jsonb;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '192.168.0.1/24'::inet, '(1,2)'::point;
SELECT '[1,5)'::int4range, 'empty'::int4range, 'abc'::name, 42::oid, 'a & b'::tsquery;
SET extra_float_digits = 3;
SELECT 0.1::float8, 1/3::float4;
SET datestyle = 'German';
SELECT '2024-02-29 12:34:56'::timestamptz, '2024-02-29'::date;
SET intervalstyle = 'iso_8601';
SELECT interval '1 year 2 mons 3 days 04:05:06.7';
SET timezone = 'America/St_Johns';
SELECT '2024-07-01 12:00:00+00'::timestamptz;
