package dev.hearth.launcher;

import dev.hearth.launcher.fake.FakeService;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A checkout-shaped directory whose seven "service jars" run {@link FakeService}. */
final class FakeRepo {

    private FakeRepo() {
    }

    static Path create(Path root) throws IOException, URISyntaxException {
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Path jar = root.resolve("fake-service.jar");
        writeJar(jar);
        for (ServiceId service : ServiceId.values()) {
            Path target = root.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(target.getParent());
            Files.copy(jar, target);
        }
        return root;
    }

    private static void writeJar(Path jar) throws IOException, URISyntaxException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String packagePath = FakeService.class.getPackageName().replace('.', '/');
        Path classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             var entries = Files.list(classes.resolve(packagePath))) {
            for (Path clazz : (Iterable<Path>) entries::iterator) {
                out.putNextEntry(new JarEntry(packagePath + "/" + clazz.getFileName()));
                out.write(Files.readAllBytes(clazz));
                out.closeEntry();
            }
        }
    }
}
