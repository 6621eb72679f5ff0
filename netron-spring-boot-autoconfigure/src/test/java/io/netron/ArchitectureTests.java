package io.netron;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers of Netron, checked on the compiled classes of the library and its auto-configuration:
 * protocol &lt;- stream, observation &lt;- core &lt;- transport/client &lt;- discovery &lt;- autoconfigure, no
 * package cycles, no Spring Boot below the auto-configuration and no Spring in the codec.
 */
class ArchitectureTests {

	private static JavaClasses classes;

	@BeforeAll
	static void importClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.netron");
		// both modules are on this class path: the rules must see the library and the auto-configuration
		assertThat(classes.containPackage("io.netron.core")).isTrue();
		assertThat(classes.containPackage("io.netron.autoconfigure")).isTrue();
	}

	@Test
	void layersDependOnlyOnTheLayersBelowThem() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("protocol").definedBy("io.netron.protocol..")
			.layer("stream").definedBy("io.netron.stream..")
			.layer("annotation").definedBy("io.netron.annotation..")
			.layer("observation").definedBy("io.netron.observation..")
			.layer("core").definedBy("io.netron.core..")
			.layer("transport").definedBy("io.netron.transport..")
			.layer("client").definedBy("io.netron.client..")
			.layer("discovery").definedBy("io.netron.discovery..")
			.layer("autoconfigure").definedBy("io.netron.autoconfigure..")
			.whereLayer("autoconfigure").mayNotBeAccessedByAnyLayer()
			.whereLayer("discovery").mayOnlyBeAccessedByLayers("autoconfigure")
			.whereLayer("transport").mayOnlyBeAccessedByLayers("discovery", "autoconfigure")
			.whereLayer("client").mayOnlyBeAccessedByLayers("discovery", "autoconfigure")
			.whereLayer("core").mayOnlyBeAccessedByLayers("transport", "client", "discovery", "autoconfigure")
			.whereLayer("stream").mayOnlyBeAccessedByLayers("core", "transport", "client", "discovery", "autoconfigure")
			.whereLayer("annotation").mayOnlyBeAccessedByLayers("core", "client", "discovery", "autoconfigure")
			.whereLayer("observation").mayOnlyBeAccessedByLayers("core", "transport", "client", "discovery", "autoconfigure")
			.whereLayer("protocol")
			.mayOnlyBeAccessedByLayers("stream", "observation", "core", "transport", "client", "discovery", "autoconfigure")
			.check(classes);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.netron.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void onlyTheAutoConfigurationUsesSpringBoot() {
		noClasses().that()
			.resideOutsideOfPackage("io.netron.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.check(classes);
	}

	@Test
	void theCodecUsesNoSpring() {
		noClasses().that()
			.resideInAPackage("io.netron.protocol..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.check(classes);
	}

}
