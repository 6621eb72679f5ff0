package io.netron.annotation;

import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports the client registrar by name, so that this package does not depend on the packages
 * that depend on it.
 */
final class NetronClientsImportSelector implements ImportSelector {

	static final String REGISTRAR = "io.netron.client.NetronClientsRegistrar";

	@Override
	public String[] selectImports(AnnotationMetadata importingClassMetadata) {
		return new String[] { REGISTRAR };
	}

}
