package io.netron.annotation;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Keeps {@code @NetronService(expose = false)} classes out of component scanning: they are
 * handed out as sub-services by other services, created by them, and need not be beans.
 */
final class ExposedServiceCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		@Nullable Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(NetronService.class.getName());
		return attributes == null || !Boolean.FALSE.equals(attributes.get("expose"));
	}

}
