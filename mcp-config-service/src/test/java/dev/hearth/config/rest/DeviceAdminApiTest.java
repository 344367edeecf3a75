package dev.hearth.config.rest;

import static dev.hearth.config.AdminApiClient.CONFIGURED_ADMIN_KEY;
import static dev.hearth.config.AdminApiClient.as;
import static dev.hearth.config.AdminApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hearth.config.ConfigWriteProbe;
import dev.hearth.config.Device;
import dev.hearth.config.UserAndDeviceTables;
import dev.hearth.config.config.RedisKeys;
import dev.hearth.config.service.DeviceService;
import dev.hearth.infra.testing.PostgresTestResource;
import dev.hearth.infra.testing.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The devices admin API over real HTTP; its effects in PostgreSQL and on Redis Pub/Sub; lookups by name. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(ApiKeyAdminApiTest.WithAdminKey.class)
class DeviceAdminApiTest {

    static final String PATH = "/admin/v1/devices";

    @Inject
    Pool pool;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RedisKeys redisKeys;

    @Inject
    DeviceService devices;

    @io.quarkus.grpc.GrpcClient("self")
    dev.hearth.proto.v1.MutinyConfigServiceGrpc.MutinyConfigServiceStub config;

    private ConfigWriteProbe probe;
    private UserAndDeviceTables tables;

    @BeforeEach
    void subscribe() {
        probe = new ConfigWriteProbe(pool, redis, redisKeys);
        probe.subscribe();
        tables = new UserAndDeviceTables(pool, probe);
    }

    @AfterEach
    void unsubscribe() {
        probe.unsubscribe();
    }

    static RequestSpecification admin() {
        return as(CONFIGURED_ADMIN_KEY).contentType(ContentType.JSON);
    }

    static JsonObject device(String id, String friendlyName, String... aliases) {
        return new JsonObject().put("id", id).put("friendly_name", friendlyName)
                .put("aliases", new JsonArray(java.util.List.of((Object[]) aliases)));
    }

    private JsonObject create(JsonObject device) {
        Response response = admin().body(device.encode()).post(PATH);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
        return new JsonObject(response.asString());
    }

    private Optional<Device> byName(String name) {
        return devices.findByName(name).await().atMost(Duration.ofSeconds(10));
    }

    /** The fields a PUT takes, from an answer. */
    private static JsonObject writable(JsonObject answer) {
        JsonObject copy = answer.copy();
        copy.remove("created_at");
        copy.remove("updated_at");
        return copy;
    }

    @Test
    void servicesReadDevicesOverGrpcByNameOrAlias() {
        String unique = Long.toHexString(System.nanoTime());
        String id = "grpc-" + unique;
        create(device(id, "Porch light " + unique, "front light " + unique).put("room", "Porch"));
        dev.hearth.proto.v1.HomeDevice found = config.findHomeDevice(dev.hearth.proto.v1.FindHomeDeviceRequest.newBuilder()
                .setName("  FRONT   light " + unique.toUpperCase(java.util.Locale.ROOT)).build()).await().atMost(Duration.ofSeconds(10));
        assertThat(found.getId()).isEqualTo(id);
        assertThat(found.getFriendlyName()).isEqualTo("Porch light " + unique);
        assertThat(found.getRoom()).isEqualTo("Porch");
        assertThat(found.getRiskClass()).isEqualTo("normal");
        dev.hearth.proto.v1.ListHomeDevicesResponse all = config.listHomeDevices(
                dev.hearth.proto.v1.ListHomeDevicesRequest.getDefaultInstance()).await().atMost(Duration.ofSeconds(10));
        assertThat(all.getDevicesList()).extracting(dev.hearth.proto.v1.HomeDevice::getId).contains(id);
        assertThat(all.getVersion()).isEqualTo(probe.version());
        io.grpc.StatusRuntimeException unknown = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> config.findHomeDevice(dev.hearth.proto.v1.FindHomeDeviceRequest.newBuilder().setName("attic fan").build())
                        .await().atMost(Duration.ofSeconds(10)));
        assertThat(unknown.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    }

    @Test
    void createReadReplaceDeleteEachOneAnnouncedWrite() {
        long version = probe.version();
        JsonObject lock = device("0x00124b0012345678", "  Front   door lock ", "front door", "the lock")
                .put("room", " Hall ").put("risk_class", "lock");
        Response created = admin().body(lock.encode()).post(PATH);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith(PATH + "/0x00124b0012345678");
        JsonObject answer = new JsonObject(created.asString());
        // Names and the room are stored trimmed, with single spaces; source defaults to zigbee.
        assertThat(writable(answer)).isEqualTo(new JsonObject().put("id", "0x00124b0012345678")
                .put("friendly_name", "Front door lock").put("aliases", new JsonArray().add("front door").add("the lock"))
                .put("room", "Hall").put("risk_class", "lock").put("source", "zigbee"));
        assertThat(Instant.parse(answer.getString("created_at"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
        probe.assertOneChange("device", "0x00124b0012345678", version);
        assertThat(new JsonObject(admin().get(PATH + "/0x00124b0012345678").then().statusCode(200).extract().asString()))
                .isEqualTo(answer);

        // Optional fields: no aliases, no room, a normal device.
        JsonObject plain = create(new JsonObject().put("id", "manual:hall-lamp").put("friendly_name", "Hall lamp")
                .put("source", "manual"));
        assertThat(plain.getJsonArray("aliases")).isEmpty();
        assertThat(plain.getString("room")).isEmpty();
        assertThat(plain.getString("risk_class")).isEqualTo("normal");
        assertThat(probe.changes()).hasSize(1);
        JsonPath list = admin().get(PATH).then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("devices.friendly_name")).containsSubsequence("Front door lock", "Hall lamp");

        // GET, edit, PUT: the times are read-only, the id may be left to the path.
        version = probe.version();
        JsonObject edited = answer.copy().put("aliases", new JsonArray().add("entrance")).put("risk_class", "alarm");
        edited.remove("id");
        JsonObject replaced = new JsonObject(admin().body(edited.encode()).put(PATH + "/0x00124b0012345678")
                .then().statusCode(200).extract().asString());
        assertThat(writable(replaced)).isEqualTo(writable(answer).put("aliases", new JsonArray().add("entrance"))
                .put("risk_class", "alarm"));
        assertThat(replaced.getString("created_at")).isEqualTo(answer.getString("created_at"));
        probe.assertOneChange("device", "0x00124b0012345678", version);
        assertThat(byName("entrance")).map(Device::id).contains("0x00124b0012345678");
        assertThat(byName("the lock")).as("a dropped alias names nothing").isEmpty();

        version = probe.version();
        admin().delete(PATH + "/0x00124b0012345678").then().statusCode(204);
        probe.assertOneChange("device", "0x00124b0012345678", version);
        assertProblem(admin().get(PATH + "/0x00124b0012345678"), 404, "not_found");
        assertThat(byName("Front door lock")).isEmpty();
    }

    @Test
    void aNameNamesOneDeviceWhateverItsCaseOrSpacing() {
        create(device("0xaaaa000000000001", "Kitchen light", "ceiling light", "Lamp").put("room", "Kitchen"));
        create(device("0xaaaa000000000002", "Kitchen blind").put("risk_class", "cover"));
        probe.changes();

        String before = tables.snapshot();
        Map<JsonObject, String> clashes = new LinkedHashMap<>();
        clashes.put(device("0xbbbb000000000001", "Pantry light", "KITCHEN LIGHT"), "'KITCHEN LIGHT' already names device '0xaaaa000000000001' ('Kitchen light')");
        clashes.put(device("0xbbbb000000000001", "lamp"), "'lamp' already names device '0xaaaa000000000001'");
        clashes.put(device("0xbbbb000000000001", "Pantry light", "Ceiling   Light"), "'Ceiling Light' already names");
        clashes.put(device("0xbbbb000000000001", "Pantry light", "pantry", "kitchen BLIND"), "'kitchen BLIND' already names device '0xaaaa000000000002'");
        clashes.forEach((body, expected) -> assertThat(assertProblem(admin().body(body.encode()).post(PATH), 409,
                "already_exists").getString("detail")).as(body.encode()).contains(expected));
        // A PUT may not take another device's name either.
        assertThat(assertProblem(admin().body(device("0xaaaa000000000002", "Kitchen blind", "lamp").encode())
                .put(PATH + "/0xaaaa000000000002"), 409, "already_exists").getString("detail")).contains("'lamp'");
        // Nor may a device repeat its own id.
        assertThat(assertProblem(admin().body(device("0xaaaa000000000002", "Other").encode()).post(PATH), 409,
                "already_exists").getString("detail")).contains("'0xaaaa000000000002' exists already");
        tables.assertNothingWritten(before);

        // A device keeps its own names through a PUT, in another case too...
        admin().body(device("0xaaaa000000000001", "KITCHEN light", "ceiling light").encode())
                .put(PATH + "/0xaaaa000000000001").then().statusCode(200);
        // ...and what it gave up is free at once.
        create(device("0xbbbb000000000001", "Pantry light", "lamp"));

        assertThat(byName("  kitchen   LIGHT ")).map(Device::id).contains("0xaaaa000000000001");
        assertThat(byName("CEILING LIGHT")).map(Device::friendlyName).contains("KITCHEN light");
        assertThat(byName("Lamp")).map(Device::id).contains("0xbbbb000000000001");
        assertThat(byName("kitchen blind")).map(Device::riskClass).contains("cover");
        assertThat(byName("garage")).isEmpty();
        assertThat(byName(" ")).isEmpty();

        // Deleting a device frees its names.
        admin().delete(PATH + "/0xbbbb000000000001").then().statusCode(204);
        assertThat(byName("lamp")).isEmpty();
        create(device("0xbbbb000000000002", "Lamp"));
        assertThat(byName("LAMP")).map(Device::id).contains("0xbbbb000000000002");
    }

    @Test
    void aNameClaimedByAWriteCommittingMeanwhileConflictsAndNothingIsWritten() throws Exception {
        // Another writer is in the middle of creating a device that answers to "porch light".
        SqlConnection other = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        CompletableFuture<Response> racing;
        long version = probe.version();
        try {
            Transaction otherTx = other.begin().await().atMost(Duration.ofSeconds(10));
            other.query("""
                    WITH d AS (INSERT INTO devices (id, friendly_name) VALUES ('0xcccc000000000001', 'Porch light')
                               RETURNING id)
                    INSERT INTO device_names (name_key, device_id) SELECT 'porch light', id FROM d""")
                    .execute().await().atMost(Duration.ofSeconds(10));
            racing = CompletableFuture.supplyAsync(() -> admin().body(device("0xcccc000000000002", "Porch lamp",
                    "PORCH LIGHT").encode()).post(PATH));
            // This one cannot see the other's name yet, so its claim waits on the other transaction...
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.query("""
                            SELECT count(*) FROM pg_stat_activity
                             WHERE datname = current_database() AND wait_event_type = 'Lock'
                               AND query LIKE '%INSERT INTO device_names%'""").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1);
            assertThat(racing).isNotDone();
            otherTx.commit().await().atMost(Duration.ofSeconds(10));
        } finally {
            other.close().await().atMost(Duration.ofSeconds(10));
        }
        // ...and, once it commits, is refused as a duplicate, not an internal error; nothing of it is stored.
        Response refused = racing.get(30, TimeUnit.SECONDS);
        assertThat(assertProblem(refused, 409, "already_exists").getString("detail"))
                .contains("another device took one of its names");
        assertThat(byName("porch light")).map(Device::id).contains("0xcccc000000000001");
        assertThat(byName("porch lamp")).isEmpty();
        assertThat(probe.version()).isEqualTo(version);
        assertProblem(admin().get(PATH + "/0xcccc000000000002"), 404, "not_found");
        assertThat(probe.changes()).isEmpty();
    }

    @Test
    void invalidDevicesAreProblemsNamingTheFieldAndWriteNothing() {
        create(device("0x0000000000000bad", "Existing"));
        probe.changes();
        String before = tables.snapshot();
        JsonObject valid = device("0x00000000000000ff", "Fresh", "new one");
        Map<String, String> bad = new LinkedHashMap<>();
        JsonObject noId = valid.copy();
        noId.remove("id");
        bad.put(noId.encode(), "id is required");
        bad.put(valid.copy().put("id", "has space").encode(), "id must be 1 to 128 of");
        bad.put(valid.copy().put("id", "x".repeat(129)).encode(), "id must be 1 to 128 of");
        JsonObject noName = valid.copy();
        noName.remove("friendly_name");
        bad.put(noName.encode(), "friendly_name is required");
        bad.put(valid.copy().put("friendly_name", "   ").encode(), "friendly_name is required");
        bad.put(valid.copy().put("friendly_name", "n".repeat(101)).encode(), "friendly_name must be at most 100 characters");
        bad.put(valid.copy().put("friendly_name", "bell\u0007").encode(), "friendly_name must not contain control characters");
        bad.put(valid.copy().put("aliases", new JsonArray().add("ok").add("")).encode(), "aliases[1] is required");
        bad.put(valid.copy().put("aliases", new JsonArray().add("ok").addNull()).encode(), "aliases[1] is required");
        bad.put(valid.copy().put("aliases", new JsonArray().add("Twice").add("twice")).encode(),
                "aliases[1] ('twice') repeats aliases[0]");
        bad.put(valid.copy().put("aliases", new JsonArray().add("FRESH")).encode(), "aliases[0] ('FRESH') repeats friendly_name");
        bad.put(valid.copy().put("aliases", new JsonArray(java.util.Collections.nCopies(33, "a"))).encode(),
                "aliases may have at most 32 names");
        bad.put(valid.copy().put("aliases", "lamp").encode(), "'aliases' has the wrong type");
        bad.put(valid.copy().put("room", "r".repeat(101)).encode(), "room must be at most 100 characters");
        bad.put(valid.copy().put("risk_class", "dangerous").encode(),
                "risk_class must be one of normal, lock, cover, climate, alarm, appliance");
        bad.put(valid.copy().put("source", "zwave").encode(), "source must be one of zigbee, manual");
        bad.put(valid.copy().put("riskClass", "lock").encode(), "'riskClass' is not a field of this API");
        bad.put("{\"id\": \"x\", ", "not valid JSON");
        bad.put("[]", "expected shape");
        bad.put("", "a JSON body is required");
        bad.forEach((body, expected) -> assertThat(assertProblem(admin().body(body).post(PATH), 400, "invalid_request")
                .getString("detail")).as(body).contains(expected));

        // PUT validates the same way, and cannot change the id.
        assertThat(assertProblem(admin().body(valid.encode()).put(PATH + "/0x0000000000000bad"), 400, "invalid_request")
                .getString("detail")).contains("id ('0x00000000000000ff') differs from the id in the path");
        assertThat(assertProblem(admin().body("{\"friendly_name\": \"Existing\", \"risk_class\": \"x\"}")
                .put(PATH + "/0x0000000000000bad"), 400, "invalid_request").getString("detail")).contains("risk_class must be");
        // Every problem of one body at once.
        assertThat(assertProblem(admin().body("{\"id\": \"a b\", \"source\": \"x\", \"extra\": 1}").post(PATH), 400,
                "invalid_request").getString("detail"))
                .contains("id must be", "friendly_name is required", "source must be", "'extra'");
        tables.assertNothingWritten(before);
    }

    @Test
    void unknownDevicesAreNotFound() {
        String before = tables.snapshot();
        assertProblem(admin().get(PATH + "/0xdead"), 404, "not_found");
        assertThat(assertProblem(admin().body("{\"friendly_name\": \"Ghost\"}").put(PATH + "/0xdead"), 404, "not_found")
                .getString("detail")).contains("no device '0xdead'");
        assertProblem(admin().delete(PATH + "/0xdead"), 404, "not_found");
        tables.assertNothingWritten(before);
    }
}
