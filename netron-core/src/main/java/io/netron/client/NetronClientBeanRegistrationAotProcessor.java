package io.netron.client;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.util.ClassUtils;

/**
 * Contributes {@link NetronClientRuntimeHints} for every {@code @NetronClient} bean the
 * {@link NetronClientsRegistrar} registered, when an application is processed ahead of time.
 */
final class NetronClientBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Object typeName = registeredBean.getMergedBeanDefinition()
			.getAttribute(NetronClientsRegistrar.SERVICE_ATTRIBUTE + ".type");
		if (!(typeName instanceof String name)) {
			return null;
		}
		Class<?> clientInterface = ClassUtils.resolveClassName(name, registeredBean.getBeanFactory().getBeanClassLoader());
		return (generationContext, code) -> NetronClientRuntimeHints.register(generationContext.getRuntimeHints(),
				clientInterface);
	}

}
