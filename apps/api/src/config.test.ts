import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('the database in the configuration', () => {
  it('is SQLite in the data folder unless PROVISIO_DATABASE_URL names a PostgreSQL database', () => {
    expect(readConfig({}, '/srv').database).toEqual({ file: '/srv/data/provisio.db' });
    expect(
      readConfig(
        {
          PROVISIO_DATABASE_URL: 'postgresql://provisio@db.example.com:5432/provisio',
          PROVISIO_DATABASE_POOL_SIZE: '5',
        },
        '/srv',
      ).database,
    ).toEqual({ url: 'postgresql://provisio@db.example.com:5432/provisio', poolSize: 5 });
  });

  it('stops the start naming the variable and what to write', () => {
    expect(() => readConfig({ PROVISIO_DATABASE_URL: '/var/lib/provisio.db' }, '/srv')).toThrow(ConfigError);
    expect(() => readConfig({ PROVISIO_DATABASE_URL: '/var/lib/provisio.db' }, '/srv')).toThrow(
      /PROVISIO_DATABASE_URL must be a PostgreSQL URL .*leave it unset to use SQLite in PROVISIO_DATA_DIR/,
    );
    expect(() =>
      readConfig(
        { PROVISIO_DATABASE_URL: 'postgres://db/provisio', PROVISIO_DATABASE_POOL_SIZE: '0' },
        '/srv',
      ),
    ).toThrow(/PROVISIO_DATABASE_POOL_SIZE must be a whole number from 1 to 1000/);
  });
});
