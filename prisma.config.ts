// Prisma CLI configuration: the JavaScript schema engine over a driver adapter, so that the CLI
// never downloads a native engine (recipe: /work/shared/notes/prisma-without-native-engines.md).
// The CLI needs the 7.x pg adapter, installed as @prisma/adapter-pg-migrate: 6.19's cannot decode
// the `name` columns the schema engine reads (prisma/orm#27403). Run-time code uses
// @prisma/adapter-pg 6.19 through libs/db. DATABASE_URL must be set whenever the CLI runs.
import { defineConfig } from 'prisma/config';
import { PrismaPgForMigrations } from './prisma/migrate-adapter.js';

const url = new URL(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/kiln');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    // Discrete fields rather than a connectionString, so that a shadow database can override `database`.
    return new PrismaPgForMigrations({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password) || undefined,
      database: decodeURIComponent(url.pathname.slice(1)),
    });
  },
});
