package io.netron.core;

import io.netron.annotation.NetronService;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Contributes {@link NetronServiceRuntimeHints} for every {@code @NetronService} bean when an
 * application is processed ahead of time (for a native image).
 */
final class NetronServiceBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
		if (!AnnotatedElementUtils.hasAnnotation(beanClass, NetronService.class)) {
			return null;
		}
		return (generationContext, code) -> NetronServiceRuntimeHints.register(generationContext.getRuntimeHints(),
				beanClass);
	}

}
