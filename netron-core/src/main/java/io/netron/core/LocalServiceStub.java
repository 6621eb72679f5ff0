package io.netron.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Reference;
import io.netron.protocol.StreamReference;
import io.netron.protocol.Undefined;
import io.netron.protocol.ValueConversionException;
import io.netron.stream.StreamAdapters;

import org.jspecify.annotations.Nullable;

/**
 * A Java service object: only its {@link io.netron.annotation.Public} members are reachable;
 * arguments are converted to the declared parameter types and results made ready for the wire.
 *
 * @param definition the definition peers address the service by
 * @param target the object whose methods are called (a Spring proxy when the bean has one)
 * @param fieldTarget the object whose fields back properties without accessors (the proxy's target)
 * @param descriptor the service's public members
 * @param localPeer the node's local peer, which resolves references and sub-services
 */
record LocalServiceStub(Definition definition, Object target, Object fieldTarget, ServiceDescriptor descriptor,
		LocalPeer localPeer) implements ServiceStub {

	/** What a call of each method needs to know, found once: calls ask on every request. */
	private static final java.util.Map<Method, Invocation> INVOCATIONS = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * How a method is called.
	 * @param parameterTypes the parameters a caller passes (a suspend function's continuation is not one)
	 * @param required how many arguments a caller must pass
	 * @param suspend whether it is a Kotlin suspend function
	 * @param kotlin whether it is called through Kotlin's reflection (defaults, nullability)
	 * @param returnsVoid whether it returns nothing
	 */
	private record Invocation(Type[] parameterTypes, int required, boolean suspend, boolean kotlin, boolean returnsVoid) {

		static Invocation of(Method method) {
			Invocation known = INVOCATIONS.get(method);
			if (known != null) {
				return known;
			}
			return INVOCATIONS.computeIfAbsent(method, (key) -> {
				Type[] types = key.getGenericParameterTypes();
				int count = KotlinSupport.parameterCount(key);
				return new Invocation((types.length != count) ? java.util.Arrays.copyOf(types, count) : types,
						KotlinSupport.requiredArguments(key, requiredArguments(key)), KotlinSupport.isSuspend(key),
						KotlinSupport.isKotlinFunction(key), key.getReturnType() == void.class);
			});
		}

	}

	/** {@return the arguments a method needs: trailing {@code @Nullable} and {@code Optional} parameters may be omitted} */
	private static int requiredArguments(Method method) {
		java.lang.reflect.Parameter[] parameters = method.getParameters();
		int required = KotlinSupport.parameterCount(method);
		while (required > 0 && isOmittable(parameters[required - 1])) {
			required--;
		}
		return required;
	}

	private static boolean isOmittable(java.lang.reflect.Parameter parameter) {
		Class<?> type = parameter.getType();
		if (type == java.util.Optional.class || type == java.util.OptionalInt.class
				|| type == java.util.OptionalLong.class || type == java.util.OptionalDouble.class) {
			return true;
		}
		for (java.lang.annotation.Annotation annotation : parameter.getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		for (java.lang.annotation.Annotation annotation : parameter.getAnnotatedType().getAnnotations()) {
			if (annotation.annotationType().getSimpleName().equals("Nullable")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public CompletableFuture<@Nullable Object> call(RemotePeer caller, String name, List<@Nullable Object> args) {
		Method method = this.descriptor.method(name);
		if (method == null) {
			// the seed's message, so TypeScript callers see the same error for unknown and
			// non-public methods (which the seed would have called: this node never does)
			return failed(Refusal.notFound(JsError.of(JsErrorType.TYPE_ERROR, "this.instance[method] is not a function"),
					"Method", qualifiedName() + "." + name));
		}
		Invocation invocation = Invocation.of(method);
		Object[] converted;
		try {
			converted = convertArguments(method, invocation, args, caller);
		}
		catch (JsError ex) {
			return failed(ex);
		}
		if (invocation.suspend()) {
			return KotlinSupport.invokeSuspending(method, this.target, converted)
				.thenApply((value) -> this.localPeer.toWire(value, this.definition, caller));
		}
		Object result;
		try {
			result = invocation.kotlin() ? KotlinSupport.invoke(method, this.target, converted, args.size())
					: method.invoke(this.target, converted);
		}
		catch (InvocationTargetException ex) {
			return failed(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			return failed(ex);
		}
		catch (Exception ex) {
			// thrown by a Kotlin function called through Kotlin's reflection
			return failed(ex);
		}
		if (result instanceof CompletionStage<?> stage) {
			return stage.toCompletableFuture().thenApply((value) -> this.localPeer.toWire(value, this.definition, caller));
		}
		if (invocation.returnsVoid()) {
			return CompletableFuture.completedFuture(Undefined.INSTANCE);
		}
		return CompletableFuture.completedFuture(this.localPeer.toWire(result, this.definition, caller));
	}

	private Object[] convertArguments(Method method, Invocation invocation, List<@Nullable Object> args,
			RemotePeer caller) {
		Type[] types = invocation.parameterTypes();
		int required = invocation.required();
		if (args.size() > types.length || args.size() < required) {
			String expected = (required == types.length) ? Integer.toString(required) : required + " to " + types.length;
			throw Refusal.badRequest("Invalid call of " + qualifiedName() + "." + method.getName()
					+ ": expected " + expected + " argument" + ((types.length == 1 && required == 1) ? "" : "s") + ", got "
					+ args.size());
		}
		Object[] converted = new Object[types.length];
		for (int i = 0; i < types.length; i++) {
			Object arg = (i < args.size()) ? args.get(i) : Undefined.INSTANCE;
			if (arg instanceof Reference reference) {
				arg = this.localPeer.resolveReference(reference);
			}
			try {
				if (arg instanceof StreamReference reference) {
					// bound to the calling connection whatever peer id the reference names
					converted[i] = StreamAdapters.adapt(caller.streams().open(reference), types[i],
							this.localPeer.converter());
					continue;
				}
				converted[i] = this.localPeer.converter().convert(arg, types[i]);
			}
			catch (ValueConversionException ex) {
				throw Refusal.badRequest("Invalid argument " + (i + 1) + " ("
						+ method.getParameters()[i].getName() + ") of " + qualifiedName() + "." + method.getName() + ": "
						+ ex.getMessage());
			}
		}
		return converted;
	}

	@Override
	public CompletableFuture<@Nullable Object> get(RemotePeer caller, String name) {
		ServiceDescriptor.Property property = this.descriptor.property(name);
		if (property == null) {
			return failed((this.descriptor.method(name) != null)
					? Refusal.error(Refusal.BAD_REQUEST, "Not supported: function")
					: Refusal.notFound(JsError.of(JsErrorType.TYPE_ERROR,
							"Unknown property: '" + name + "' is not a public property of " + qualifiedName()), "Property",
							qualifiedName() + "." + name));
		}
		try {
			Object value = (property.getter() != null) ? property.getter().invoke(this.target)
					: property.field().get(this.fieldTarget);
			return CompletableFuture.completedFuture(this.localPeer.toWire(value, this.definition, caller));
		}
		catch (InvocationTargetException ex) {
			return failed(ex.getCause());
		}
		catch (IllegalAccessException ex) {
			return failed(ex);
		}
	}

	@Override
	public CompletableFuture<@Nullable Object> set(RemotePeer caller, String name, @Nullable Object value) {
		ServiceDescriptor.Property property = this.descriptor.property(name);
		if (property == null) {
			return failed(Refusal.notFound(JsError.of(JsErrorType.TYPE_ERROR,
					"Unknown property: '" + name + "' is not a public property of " + qualifiedName()), "Property",
					qualifiedName() + "." + name));
		}
		if (property.readonly()) {
			// refused here, whatever the caller's proxy knows (a Titan server would write it)
			return failed(Refusal.of(JsError.of(JsErrorType.TYPE_ERROR,
					"Property is not writable: '" + name + "' is marked as readonly"), Refusal.FORBIDDEN));
		}
		try {
			Object resolved = (value instanceof Reference reference) ? this.localPeer.resolveReference(reference) : value;
			Object converted = this.localPeer.converter().convert(resolved, property.genericType());
			if (property.setter() != null) {
				property.setter().invoke(this.target, converted);
			}
			else {
				property.field().set(this.fieldTarget, converted);
			}
			return CompletableFuture.completedFuture(Undefined.INSTANCE);
		}
		catch (ValueConversionException ex) {
			return failed(Refusal.badRequest("Invalid value for " + qualifiedName() + "." + name + ": " + ex.getMessage()));
		}
		catch (InvocationTargetException ex) {
			return failed(ex.getCause());
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return failed(ex);
		}
	}

	@Override
	public boolean runsInline(String member) {
		return this.descriptor.runsInline(member);
	}

	private String qualifiedName() {
		return this.definition.meta().qualifiedName();
	}

	private static CompletableFuture<@Nullable Object> failed(@Nullable Throwable failure) {
		return CompletableFuture.failedFuture((failure != null) ? failure : new IllegalStateException("unknown failure"));
	}

}
