package io.netron.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Customizes the Jackson 2 mapper of the auto-configured node's codec, the way
 * {@code Jackson2ObjectMapperBuilderCustomizer} customizes an application's mapper: register
 * modules, serializers and deserializers, naming strategies, features. The codec's mapper is its
 * own (never the application's Jackson 3 one): it turns wire values into records, JavaBeans and
 * generic types, and application objects its serializers know into wire values. Customizers run
 * in {@link org.springframework.core.annotation.Order order}, once, before the node is created;
 * {@code jackson-module-kotlin} is registered before them when it is on the class path.
 */
@FunctionalInterface
public interface NetronCodecCustomizer {

	/**
	 * Customizes the codec's mapper.
	 * @param mapper the mapper, with Netron's defaults
	 */
	void customize(ObjectMapper mapper);

}
