ALTER TABLE "posts" ADD COLUMN "published" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "posts_published_idx" ON "posts" USING btree ("published") WHERE "posts"."published" = true;
