package io.certwright.store;

class PostgresAcmeStorageTest extends AcmeStorageTest {

    @Override
    TestDatabases.Engine engine() {
        return TestDatabases.Engine.POSTGRES;
    }
}
