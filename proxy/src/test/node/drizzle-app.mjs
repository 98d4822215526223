// A Drizzle ORM (pg-core) application as a D1 team would port it: its migrations (drizzle-kit's
// SQL: serial keys, a foreign key added by ALTER TABLE, btree and partial indexes, the migrator's
// own journal in schema "drizzle"), then its queries, through node-postgres and postgres.js.
import pg from 'pg';
import postgres from 'postgres';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzleJs } from 'drizzle-orm/postgres-js';
import { migrate as migrateJs } from 'drizzle-orm/postgres-js/migrator';
import { pgTable, serial, text, varchar, boolean, jsonb, timestamp, integer, doublePrecision } from 'drizzle-orm/pg-core';
import { eq, and, desc, gt, sql, count, relations } from 'drizzle-orm';
import { show, step } from './show.mjs';

const users = pgTable('users', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  email: varchar('email', { length: 255 }).notNull().unique(),
  active: boolean('active').notNull().default(true),
  profile: jsonb('profile'),
  createdAt: timestamp('created_at').notNull().defaultNow(),
});
const posts = pgTable('posts', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  views: integer('views').notNull().default(0),
  score: doublePrecision('score'),
  published: boolean('published').notNull().default(false),
});

const usersRelations = relations(users, ({ many }) => ({ posts: many(posts) }));
const postsRelations = relations(posts, ({ one }) => ({ author: one(users, { fields: [posts.authorId], references: [users.id] }) }));
const schema = { users, posts, usersRelations, postsRelations };

async function app(name, db, migrate) {
  await step(`${name} migrate`, async () => {
    await migrate(db, { migrationsFolder: './drizzle' });
    return 'done';
  });
  await step(`${name} migrate again`, async () => {
    await migrate(db, { migrationsFolder: './drizzle' });
    return 'done';
  });
  await step(`${name} journal`, async () => {
    const result = await db.execute(sql`select id, created_at from "drizzle"."__drizzle_migrations" order by id`);
    return (result.rows ?? [...result]).map((row) => [row.id, String(row.created_at)]);
  });
  await step(`${name} insert users`, async () => db.insert(users).values([
    { name: 'Ada', email: 'ada@example.com', profile: { langs: ['en', 'fr'], tz: 'UTC' } },
    { name: 'Grace', email: 'grace@example.com', active: false },
  ]).returning({ id: users.id, name: users.name, active: users.active, profile: users.profile }));
  await step(`${name} insert posts`, async () => db.insert(posts).values([
    { authorId: 1, title: 'Notes', views: 10, score: 4.5 },
    { authorId: 1, title: 'Engines', views: 3, published: true },
    { authorId: 2, title: 'Compilers', views: 42, score: 0.25, published: true },
  ]).returning());
  await step(`${name} select where`, async () => db.select({ id: posts.id, title: posts.title })
    .from(posts).where(and(eq(posts.authorId, 1), gt(posts.views, 5))));
  await step(`${name} join`, async () => db.select({ title: posts.title, author: users.name, views: posts.views })
    .from(posts).innerJoin(users, eq(users.id, posts.authorId)).orderBy(desc(posts.views)));
  await step(`${name} count`, async () => db.select({ author: posts.authorId, n: count() }).from(posts)
    .groupBy(posts.authorId).orderBy(posts.authorId));
  await step(`${name} update`, async () => db.update(posts).set({ views: sql`${posts.views} + 1` })
    .where(eq(posts.published, true)).returning({ id: posts.id, views: posts.views }));
  await step(`${name} transaction`, async () => db.transaction(async (tx) => {
    await tx.update(users).set({ active: true }).where(eq(users.id, 2));
    try {
      await tx.transaction(async (inner) => {
        await inner.delete(posts);
        throw new Error('undo inner');
      });
    } catch (e) {
      if (e.message !== 'undo inner') throw e;
    }
    return tx.select({ n: count() }).from(posts);
  }));
  // the SQLSTATE only: over SQLite the message names the constraint by PostgreSQL's default name
  // (users_email_key), not the one CREATE TABLE gave it (README, SQLite stores)
  await step(`${name} relational many`, async () => db.query.users.findMany({
    columns: { id: true, name: true },
    with: { posts: { columns: { title: true, views: true }, orderBy: (p, { desc }) => [desc(p.views)] } },
    orderBy: (u, { asc }) => [asc(u.id)],
  }));
  await step(`${name} relational one`, async () => db.query.posts.findFirst({
    where: (p, { eq }) => eq(p.title, 'Compilers'),
    with: { author: { columns: { name: true, profile: true } } },
  }));
  await step(`${name} relational nested`, async () => db.query.posts.findMany({
    columns: { id: true },
    with: { author: { columns: { name: true }, with: { posts: { columns: { id: true } } } } },
    orderBy: (p, { asc }) => [asc(p.id)],
  }));
  await step(`${name} unique`, async () => db.insert(users).values({ name: 'Ada2', email: 'ada@example.com' })
    .catch((e) => `refused ${e.cause?.code}`));
  await step(`${name} prepared`, async () => {
    const byAuthor = db.select({ title: posts.title }).from(posts).where(eq(posts.authorId, sql.placeholder('a')))
      .orderBy(posts.id).prepare(`${name}_by_author`);
    return [await byAuthor.execute({ a: 1 }), await byAuthor.execute({ a: 2 })];
  });
  await step(`${name} delete cascade`, async () => db.delete(users).where(eq(users.id, 1)).returning({ id: users.id }));
  await step(`${name} after`, async () => db.select({ id: posts.id, authorId: posts.authorId }).from(posts).orderBy(posts.id));
  await step(`${name} drop`, async () => {
    await db.execute(sql`DROP TABLE IF EXISTS posts, users CASCADE`);
    await db.execute(sql`DROP SCHEMA IF EXISTS drizzle CASCADE`);
    return 'done';
  });
}

const pool = new pg.Pool({ max: 2 });
await app('node-postgres', drizzlePg(pool, { schema }), migratePg);
await pool.end();
const client = postgres({ max: 2, onnotice: () => {} });
await app('postgres.js', drizzleJs(client, { schema }), migrateJs);
await client.end();
