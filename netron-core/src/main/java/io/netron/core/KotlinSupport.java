package io.netron.core;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import kotlin.reflect.KFunction;
import kotlin.reflect.KParameter;
import kotlin.reflect.jvm.KCallablesJvm;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jspecify.annotations.Nullable;

import org.springframework.core.CoroutinesUtils;
import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;

/**
 * Kotlin, when it is on the class path: suspend functions (a {@code Continuation} last parameter)
 * on services and clients, default and nullable parameters. The Kotlin classes are touched only
 * through {@link Delegate}, loaded once Kotlin was found.
 */
final class KotlinSupport {

	private static final boolean KOTLIN = KotlinDetector.isKotlinPresent()
			&& ClassUtils.isPresent("kotlin.reflect.full.KClasses", KotlinSupport.class.getClassLoader());

	/** Suspend functions need the coroutines' Reactor bridge (what Spring's own support uses). */
	private static final boolean COROUTINES = KOTLIN
			&& ClassUtils.isPresent("kotlinx.coroutines.reactor.MonoKt", KotlinSupport.class.getClassLoader());

	private static final String CONTINUATION = "kotlin.coroutines.Continuation";

	private KotlinSupport() {
	}

	/** What is known of a method, found once (calls ask on every request). */
	private record Shape(boolean suspend, boolean kotlin, int parameterCount) {
	}

	private static final Map<Method, Shape> SHAPES = new java.util.concurrent.ConcurrentHashMap<>();

	private static Shape shape(Method method) {
		Shape known = SHAPES.get(method);
		if (known != null) {
			return known;
		}
		return SHAPES.computeIfAbsent(method, (key) -> {
			Class<?>[] types = key.getParameterTypes();
			boolean suspend = types.length > 0 && types[types.length - 1].getName().equals(CONTINUATION);
			return new Shape(suspend, KOTLIN && KotlinDetector.isKotlinType(key.getDeclaringClass()),
					suspend ? types.length - 1 : types.length);
		});
	}

	/** {@return whether the method is a Kotlin suspend function (its last parameter a continuation)} */
	static boolean isSuspend(Method method) {
		return shape(method).suspend();
	}

	/** {@return whether suspend functions can be served and called here} */
	static boolean coroutinesPresent() {
		return COROUTINES;
	}

	/** {@return the parameters a caller passes: a suspend function's continuation is not one} */
	static int parameterCount(Method method) {
		return shape(method).parameterCount();
	}

	/** {@return what a suspend function returns, from its continuation's type; the return type otherwise} */
	static Type resultType(Method method) {
		if (!isSuspend(method)) {
			return method.getGenericReturnType();
		}
		Type[] types = method.getGenericParameterTypes();
		if (types[types.length - 1] instanceof ParameterizedType continuation) {
			Type argument = continuation.getActualTypeArguments()[0];
			if (argument instanceof WildcardType wildcard) {
				Type[] lower = wildcard.getLowerBounds();
				return (lower.length > 0) ? lower[0] : wildcard.getUpperBounds()[0];
			}
			return argument;
		}
		return Object.class;
	}

	/** {@return whether calls of the method go through Kotlin's reflection (defaults, nullability)} */
	static boolean isKotlinFunction(Method method) {
		return shape(method).kotlin();
	}

	/**
	 * How many arguments a caller must pass: up to the last parameter that has no default and is not
	 * nullable (Kotlin), or {@code fallback}.
	 */
	static int requiredArguments(Method method, int fallback) {
		return isKotlinFunction(method) ? Delegate.requiredArguments(method, fallback) : fallback;
	}

	/**
	 * Runs a suspend function; its result (or failure) completes the future.
	 * @param method the function
	 * @param target the service
	 * @param args the arguments, without the continuation
	 * @return the result
	 */
	static CompletableFuture<@Nullable Object> invokeSuspending(Method method, Object target, @Nullable Object[] args) {
		return Delegate.invokeSuspending(method, target, args);
	}

	/**
	 * Calls a Kotlin function with Kotlin's reflection, so that an argument left out (null) takes
	 * its parameter's default.
	 * @param method the function
	 * @param target the service
	 * @param args the arguments, {@code null} where left out
	 * @param passed how many the caller passed
	 * @return the result
	 * @throws Exception what the function threw
	 */
	static @Nullable Object invoke(Method method, Object target, @Nullable Object[] args, int passed) throws Exception {
		return Delegate.invoke(method, target, args, passed);
	}

	/**
	 * Waits in a coroutine for a future: what a suspend function of a client proxy returns.
	 * @param future the answer
	 * @param continuation the caller's continuation
	 * @return {@code COROUTINE_SUSPENDED}, or the value when it is there already
	 */
	static @Nullable Object await(CompletableFuture<?> future, Object continuation) {
		return Delegate.await(future, continuation);
	}

	/** {@return Kotlin's {@code Unit}, what a suspend function without a result gives back} */
	static Object unit() {
		return Delegate.unit();
	}

	/** The code that names Kotlin's classes: loaded only when they are present. */
	private static final class Delegate {

		private static final Map<Method, Integer> REQUIRED = new java.util.concurrent.ConcurrentHashMap<>();

		static int requiredArguments(Method method, int fallback) {
			return REQUIRED.computeIfAbsent(method, (key) -> {
				KFunction<?> function = function(key).orElse(null);
				if (function == null) {
					return fallback;
				}
				List<KParameter> parameters = valueParameters(function);
				int required = parameters.size();
				while (required > 0 && (parameters.get(required - 1).isOptional()
						|| parameters.get(required - 1).getType().isMarkedNullable())) {
					required--;
				}
				return required;
			});
		}

		private static List<KParameter> valueParameters(KFunction<?> function) {
			return function.getParameters().stream().filter((parameter) -> parameter.getKind() == KParameter.Kind.VALUE).toList();
		}

		/** Each method's Kotlin function, looked up once and made accessible (empty for none). */
		private static final Map<Method, java.util.Optional<KFunction<?>>> FUNCTIONS =
				new java.util.concurrent.ConcurrentHashMap<>();

		private static java.util.Optional<KFunction<?>> function(Method method) {
			return FUNCTIONS.computeIfAbsent(method, (key) -> {
				KFunction<?> function = ReflectJvmMapping.getKotlinFunction(key);
				if (function != null && !KCallablesJvm.isAccessible(function)) {
					KCallablesJvm.setAccessible(function, true);
				}
				return java.util.Optional.ofNullable(function);
			});
		}

		static @Nullable Object invoke(Method method, Object target, @Nullable Object[] args, int passed) throws Exception {
			KFunction<?> function = (passed < args.length) ? function(method).orElse(null) : null;
			if (function == null) {
				// every argument given (or no Kotlin function): no default to apply, a plain call
				return method.invoke(target, args);
			}
			Map<KParameter, @Nullable Object> arguments = new HashMap<>();
			int index = 0;
			for (KParameter parameter : function.getParameters()) {
				if (parameter.getKind() == KParameter.Kind.INSTANCE) {
					arguments.put(parameter, target);
				}
				else if (parameter.getKind() == KParameter.Kind.VALUE) {
					Object value = args[index];
					// left out by the caller: the default, if there is one
					if (!(index >= passed && parameter.isOptional())) {
						arguments.put(parameter, value);
					}
					index++;
				}
			}
			try {
				return function.callBy(arguments);
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// a checked exception of the function's, which Kotlin does not declare
				throw (ex instanceof Exception exception) ? exception : new IllegalStateException(ex);
			}
		}

		static CompletableFuture<@Nullable Object> invokeSuspending(Method method, Object target, @Nullable Object[] args) {
			org.reactivestreams.Publisher<?> result = CoroutinesUtils.invokeSuspendingFunction(method, target, args);
			@SuppressWarnings("unchecked")
			CompletableFuture<@Nullable Object> future = (CompletableFuture<@Nullable Object>) (CompletableFuture<?>) reactor.core.publisher.Mono
				.from(result)
				.toFuture();
			return future;
		}

		static Object unit() {
			return kotlin.Unit.INSTANCE;
		}

		@SuppressWarnings("unchecked")
		static @Nullable Object await(CompletableFuture<?> future, Object continuation) {
			return kotlinx.coroutines.future.FutureKt.await(future, (kotlin.coroutines.Continuation<Object>) continuation);
		}

	}

}
