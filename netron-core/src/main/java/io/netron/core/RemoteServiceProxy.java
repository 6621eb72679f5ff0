package io.netron.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import io.netron.NetronException;
import io.netron.annotation.NetronProperty;
import io.netron.annotation.RemoteMethod;

import org.jspecify.annotations.Nullable;

/**
 * Typed proxies of remote services. Each interface method maps to a remote call, property read
 * or property write; {@code CompletableFuture} return types make the call asynchronous, any
 * other type blocks for at most the request timeout. A result declared as an interface (other
 * than a JDK type) is a sub-service and comes back as a proxy of that interface.
 */
final class RemoteServiceProxy implements InvocationHandler {

	private static final Map<Method, Plan> PLANS = new ConcurrentHashMap<>();

	private final RemoteService service;

	private final Class<?> type;

	private RemoteServiceProxy(RemoteService service, Class<?> type) {
		this.service = service;
		this.type = type;
	}

	static <T> T create(RemoteService service, Class<T> type) {
		if (!type.isInterface()) {
			throw new IllegalArgumentException("A Netron proxy type must be an interface: " + type.getName());
		}
		Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type, NetronProxy.class },
				new RemoteServiceProxy(service, type));
		return type.cast(proxy);
	}

	/** {@code close()} of an interface that extends {@link AutoCloseable}. */
	private boolean isClose(Method method) {
		return method.getName().equals("close") && method.getParameterCount() == 0
				&& AutoCloseable.class.isAssignableFrom(this.type);
	}

		@Override
	public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> "NetronProxy[" + this.type.getSimpleName() + " -> " + this.service.describe() + "]";
			};
		}
		if (method.getDeclaringClass() == NetronProxy.class) {
			return this.service;
		}
		if (isClose(method)) {
			// the interface extends AutoCloseable: close() releases the service, once
			if (!this.service.isReleased()) {
				NetronProxy.release(proxy);
			}
			return null;
		}
		if (method.isDefault()) {
			return InvocationHandler.invokeDefault(proxy, method, args);
		}
		Plan plan = PLANS.computeIfAbsent(method, Plan::of);
		Object[] arguments = (args != null) ? args : new Object[0];
		// a Kotlin suspend function: the call suspends the coroutine until the answer, never a thread
		Object continuation = plan.suspend() ? arguments[arguments.length - 1] : null;
		if (continuation != null) {
			arguments = java.util.Arrays.copyOf(arguments, arguments.length - 1);
		}
		else if (!plan.async() && NetronContext.isServingInline()) {
			throw new NetronException("Blocking call of " + this.service.describe() + "." + plan.remoteName()
					+ " refused: this thread serves an INLINE service member and reads a connection, so it must not wait"
					+ " for an answer. Call an asynchronous (CompletableFuture) method of the proxy, or declare the member"
					+ " @Public(execution = Execution.WORKER)");
		}
		CompletableFuture<@Nullable Object> raw = switch (plan.kind()) {
			case CALL -> this.service.invokeRaw(plan.methodName(this.service), arguments);
			case GET -> this.service.getRaw(plan.remoteName());
			case SET -> this.service.setRaw(plan.remoteName(), arguments[0]);
		};
		if (continuation != null) {
			// a suspend function without a result (Unit) resumes with Unit
			return KotlinSupport.await(this.service.peer().deliver(raw, (value) -> (plan.resultType() == void.class)
					? KotlinSupport.unit() : result(value, plan)), continuation);
		}
		RemotePeer peer = this.service.peer();
		if (plan.async()) {
			return peer.deliver(raw, (value) -> result(value, plan));
		}
		Object value;
		try {
			value = raw.get();
		}
		catch (ExecutionException ex) {
			throw unwrap(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NetronException("Interrupted while waiting for " + this.service.describe() + "." + plan.remoteName(), ex);
		}
		return (plan.resultType() == void.class) ? null : result(value, plan);
	}

	/** The answer as the declared type; one that does not convert names the method and the type. */
	private @Nullable Object result(@Nullable Object value, Plan plan) {
		try {
			return this.service.peer().fromWire(value, plan.resultType());
		}
		catch (io.netron.protocol.ValueConversionException ex) {
			throw new io.netron.protocol.ValueConversionException("The result of "
					+ this.service.metadata().qualifiedName() + "." + plan.remoteName() + " (peer " + this.service.peer().id()
					+ ") does not convert to " + plan.resultType().getTypeName() + ", the type " + this.type.getSimpleName()
					+ " declares: " + ex.getMessage(), ex);
		}
	}

	private static Throwable unwrap(@Nullable Throwable failure) {
		return (failure != null) ? Failures.unwrap(failure) : new NetronException("Remote call failed without a cause");
	}

	private enum Kind {

		CALL, GET, SET

	}

	/**
	 * How a proxy method maps to the protocol.
	 *
	 * @param kind call, property read or property write
	 * @param remoteName the remote member
	 * @param withoutAsync for {@code xAsync} methods, {@code x}: called when the service has no {@code xAsync}
	 * @param async whether the method returns a future
	 * @param resultType the declared result type (inside the future)
	 */
	private record Plan(Kind kind, String remoteName, @Nullable String withoutAsync, boolean async, Type resultType,
			boolean suspend) {

		Plan(Kind kind, String remoteName, @Nullable String withoutAsync, boolean async, Type resultType) {
			this(kind, remoteName, withoutAsync, async, resultType, false);
		}

		String methodName(RemoteService service) {
			if (this.withoutAsync != null && !service.metadata().methods().containsKey(this.remoteName)) {
				return this.withoutAsync;
			}
			return this.remoteName;
		}

		static Plan of(Method method) {
			if (KotlinSupport.isSuspend(method)) {
				return suspending(method);
			}
			Type returnType = method.getGenericReturnType();
			boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
			Type resultType = returnType;
			if (async) {
				if (method.getReturnType() != CompletableFuture.class && method.getReturnType() != CompletionStage.class) {
					throw new IllegalArgumentException("Netron proxy method " + method + " must return CompletableFuture or CompletionStage");
				}
				resultType = (returnType instanceof ParameterizedType parameterized)
						? parameterized.getActualTypeArguments()[0] : Object.class;
			}
			if (resultType == Void.class) {
				resultType = void.class;
			}
			NetronProperty property = method.getAnnotation(NetronProperty.class);
			if (property != null) {
				if (method.getParameterCount() == 0) {
					return new Plan(Kind.GET, property.value(), null, async, resultType);
				}
				if (method.getParameterCount() == 1 && resultType == void.class) {
					return new Plan(Kind.SET, property.value(), null, async, resultType);
				}
				throw new IllegalArgumentException("@NetronProperty method " + method
						+ " must take no argument (read) or one argument and return void (write)");
			}
			RemoteMethod remote = method.getAnnotation(RemoteMethod.class);
			if (remote != null) {
				return new Plan(Kind.CALL, remote.value(), null, async, resultType);
			}
			String name = method.getName();
			String withoutAsync = (async && name.endsWith("Async") && name.length() > 5)
					? name.substring(0, name.length() - 5) : null;
			return new Plan(Kind.CALL, name, withoutAsync, async, resultType);
		}

		/** A Kotlin suspend function: a call, a property read (no argument) or write (one), never blocking. */
		private static Plan suspending(Method method) {
			if (!KotlinSupport.coroutinesPresent()) {
				throw new IllegalArgumentException("Netron proxy method " + method + " is a Kotlin suspend function: add "
						+ "org.jetbrains.kotlinx:kotlinx-coroutines-reactor and org.jetbrains.kotlin:kotlin-reflect to call it");
			}
			Type resultType = KotlinSupport.resultType(method);
			if (resultType.getTypeName().equals("kotlin.Unit")) {
				resultType = void.class;
			}
			NetronProperty property = method.getAnnotation(NetronProperty.class);
			int parameters = KotlinSupport.parameterCount(method);
			if (property != null) {
				return new Plan((parameters == 0) ? Kind.GET : Kind.SET, property.value(), null, true, resultType, true);
			}
			RemoteMethod remote = method.getAnnotation(RemoteMethod.class);
			return new Plan(Kind.CALL, (remote != null) ? remote.value() : method.getName(), null, true, resultType, true);
		}

	}

}
