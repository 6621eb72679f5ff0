package io.netron.core;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

import io.netron.annotation.Execution;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsMap;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.ServiceMetadata.MethodInfo;
import io.netron.protocol.ServiceMetadata.PropertyInfo;

import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.util.ClassUtils;

/**
 * What a {@link NetronService} class offers remotely: its name, version, public methods and
 * public properties, read once per class and validated with the seed's messages.
 */
public final class ServiceDescriptor {

	private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ServiceDescriptor.class);

	private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]+(\\.[a-zA-Z0-9]+)*$");

	private static final String REACTIVE_STREAMS_PUBLISHER = "org.reactivestreams.Publisher";

	private static final ConcurrentMap<Class<?>, ServiceDescriptor> CACHE = new ConcurrentHashMap<>();

	private final Class<?> type;

	private final ServiceMetadata metadata;

	private final Map<String, Method> methods;

	private final Map<String, Property> properties;

	/** The members served on the receiving thread ({@link Execution#INLINE}). */
	private final Set<String> inline;

	private ServiceDescriptor(Class<?> type, ServiceMetadata metadata, Map<String, Method> methods,
			Map<String, Property> properties, Set<String> inline) {
		this.type = type;
		this.metadata = metadata;
		this.methods = methods;
		this.properties = properties;
		this.inline = inline;
	}

	/** Per-class answers of {@link #isService}: it runs for every argument and result. */
	private static final ClassValue<Boolean> SERVICE_CLASSES = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			return AnnotatedElementUtils.hasAnnotation(ClassUtils.getUserClass(type), NetronService.class);
		}

	};

	/**
	 * Whether instances of the class (or of the class behind a Spring proxy) are services.
	 * @param type a class
	 * @return whether it is annotated {@code @NetronService}
	 */
	public static boolean isService(Class<?> type) {
		return SERVICE_CLASSES.get(type);
	}

	/**
	 * The descriptor of a service class (the class behind a Spring proxy).
	 * @param type a {@code @NetronService} class
	 * @return its descriptor
	 * @throws InvalidServiceException when the class is not a valid service
	 */
	public static ServiceDescriptor forClass(Class<?> type) {
		Class<?> userClass = ClassUtils.getUserClass(type);
		return CACHE.computeIfAbsent(userClass, ServiceDescriptor::introspect);
	}

	/** {@return the service class} */
	public Class<?> type() {
		return this.type;
	}

	/** {@return the metadata sent to peers in the service's definition} */
	public ServiceMetadata metadata() {
		return this.metadata;
	}

	/**
	 * {@code name@version}, or the name alone for a service without a version.
	 * @return {@code name@version}, or the name alone
	 */
	public String qualifiedName() {
		return this.metadata.qualifiedName();
	}

	@Nullable Method method(String name) {
		return this.methods.get(name);
	}

	@Nullable Property property(String name) {
		return this.properties.get(name);
	}

	/**
	 * Whether a member runs on the thread that received the request rather than on a worker.
	 * @param member a method or property name
	 * @return whether it is {@link Execution#INLINE}, declared or by convention
	 */
	public boolean runsInline(String member) {
		return this.inline.contains(member);
	}

	/**
	 * Splits and validates a qualified name.
	 * @return the name and the version ({@code ""} when absent)
	 */
	static String[] parseQualifiedName(String qualifiedName) {
		int at = qualifiedName.indexOf('@');
		String name = (at < 0) ? qualifiedName : qualifiedName.substring(0, at);
		String version = (at < 0) ? "" : qualifiedName.substring(at + 1);
		if (name.isEmpty() || !NAME.matcher(name).matches()) {
			throw new InvalidServiceException(
					"Invalid service name \"" + name + "\". Only latin letters and dots are allowed.");
		}
		if (!version.isEmpty() && !Semver.isValid(version)) {
			throw new InvalidServiceException("Invalid version \"" + version + "\". Version must follow semver.");
		}
		return new String[] { name, version };
	}

	private static ServiceDescriptor introspect(Class<?> type) {
		NetronService annotation = AnnotatedElementUtils.findMergedAnnotation(type, NetronService.class);
		if (annotation == null) {
			throw new InvalidServiceException("Invalid service: " + type.getName() + " is not annotated with @NetronService");
		}
		String declared = annotation.value();
		String[] nameAndVersion = parseQualifiedName(declared.isEmpty() ? lowerCamel(type.getSimpleName()) : declared);
		Map<String, Method> methods = new LinkedHashMap<>();
		Set<String> inline = new HashSet<>();
		Map<String, MethodInfo> methodInfos = new LinkedHashMap<>();
		for (Method method : publicMethodsInDeclarationOrder(type)) {
			String name = method.getName();
			Method existing = methods.get(name);
			if (existing != null) {
				if (sameSignature(existing, method)) {
					continue; // an override of a method already seen in a subclass
				}
				throw new InvalidServiceException("Overloaded @Public methods are not supported: " + type.getName()
						+ " has more than one @Public method named '" + name
						+ "' (the protocol calls methods by name); rename one of them");
			}
			if (Modifier.isStatic(method.getModifiers())) {
				throw new InvalidServiceException("@Public method " + type.getName() + "." + name + " must not be static");
			}
			method.trySetAccessible();
			methods.put(name, method);
			// a suspend function runs on a worker unless told otherwise: it may block before it suspends
			boolean suspend = KotlinSupport.isSuspend(method);
			if (execution(method, annotation.execution(), !suspend && returnsPromise(method.getReturnType()))) {
				inline.add(name);
			}
			List<String> arguments = new ArrayList<>();
			Class<?>[] parameterTypes = method.getParameterTypes();
			for (int i = 0; i < KotlinSupport.parameterCount(method); i++) {
				arguments.add(jsTypeName(parameterTypes[i]));
			}
			checkCarried(nameAndVersion, method);
			methodInfos.put(name, new MethodInfo(suspend ? "Promise" : jsTypeName(method.getReturnType()), arguments));
		}
		Map<String, Property> properties = new LinkedHashMap<>();
		Map<String, PropertyInfo> propertyInfos = new LinkedHashMap<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				Public marker = field.getAnnotation(Public.class);
				if (marker == null || properties.containsKey(field.getName())) {
					continue;
				}
				if (Modifier.isStatic(field.getModifiers())) {
					throw new InvalidServiceException("@Public field " + type.getName() + "." + field.getName()
							+ " must not be static");
				}
				if (methods.containsKey(field.getName())) {
					throw new InvalidServiceException(type.getName() + " has a @Public method and a @Public property both named '"
							+ field.getName() + "'");
				}
				String problem = WireTypes.problem(field.getGenericType(), true);
				if (problem != null) {
					throw new InvalidServiceException("@Public property " + qualified(nameAndVersion) + "." + field.getName()
							+ " is a " + field.getGenericType().getTypeName() + ", which Netron cannot carry: " + problem);
				}
				Property property = Property.of(type, field, marker.readonly() || Modifier.isFinal(field.getModifiers()));
				properties.put(field.getName(), property);
				if (execution(field, annotation.execution(), property.getter() == null && property.setter() == null)) {
					inline.add(field.getName());
				}
				propertyInfos.put(field.getName(), new PropertyInfo(jsTypeName(field.getType()), property.readonly()));
			}
		}
		if (methodInfos.isEmpty() && propertyInfos.isEmpty()) {
			logger.warn("Netron service {} ({}) has no @Public member: peers can find it but call nothing on it",
					qualified(nameAndVersion), type.getName());
		}
		ServiceMetadata metadata = new ServiceMetadata(nameAndVersion[0], nameAndVersion[1], propertyInfos, methodInfos);
		return new ServiceDescriptor(type, metadata, Collections.unmodifiableMap(methods),
				Collections.unmodifiableMap(properties), Set.copyOf(inline));
	}

	/** Refuses a method whose parameter or result types cannot go over the wire, naming the member and the type. */
	private static void checkCarried(String[] nameAndVersion, Method method) {
		if (KotlinSupport.isSuspend(method) && !KotlinSupport.coroutinesPresent()) {
			throw new InvalidServiceException("@Public method " + qualified(nameAndVersion) + "." + method.getName()
					+ " is a Kotlin suspend function: add org.jetbrains.kotlinx:kotlinx-coroutines-reactor and "
					+ "org.jetbrains.kotlin:kotlin-reflect to serve it");
		}
		Type[] parameters = java.util.Arrays.copyOf(method.getGenericParameterTypes(), KotlinSupport.parameterCount(method));
		for (int i = 0; i < parameters.length; i++) {
			String problem = WireTypes.problem(parameters[i], false);
			if (problem != null) {
				throw new InvalidServiceException("@Public method " + qualified(nameAndVersion) + "." + method.getName()
						+ " takes a " + parameters[i].getTypeName() + " as argument " + (i + 1)
						+ ", which Netron cannot carry: " + problem);
			}
		}
		Type result = KotlinSupport.resultType(method);
		String problem = WireTypes.problem(result, true);
		if (problem != null) {
			throw new InvalidServiceException("@Public method " + qualified(nameAndVersion) + "." + method.getName()
					+ " returns a " + result.getTypeName() + ", which Netron cannot carry: " + problem);
		}
	}

	private static String qualified(String[] nameAndVersion) {
		return nameAndVersion[1].isEmpty() ? nameAndVersion[0] : nameAndVersion[0] + "@" + nameAndVersion[1];
	}

	/** Whether a member runs inline: its own setting, else its service's, else the convention. */
	private static boolean execution(AnnotatedElement member, Execution serviceDefault, boolean inlineByConvention) {
		Public marker = AnnotatedElementUtils.findMergedAnnotation(member, Public.class);
		Execution declared = (marker != null && marker.execution() != Execution.DEFAULT) ? marker.execution()
				: serviceDefault;
		return (declared == Execution.DEFAULT) ? inlineByConvention : declared == Execution.INLINE;
	}

	/**
	 * Whether a method's result type promises its answer for later, so that the method itself
	 * does not wait: a {@code CompletionStage}, a {@code Flow.Publisher}, a Reactive Streams
	 * {@code Publisher} (Reactor's {@code Mono} and {@code Flux}) or a Netron stream.
	 */
	static boolean returnsPromise(Class<?> returnType) {
		if (CompletionStage.class.isAssignableFrom(returnType)
				|| java.util.concurrent.Flow.Publisher.class.isAssignableFrom(returnType)
				|| io.netron.stream.NetronReadableStream.class.isAssignableFrom(returnType)
				|| io.netron.stream.NetronWritableStream.class.isAssignableFrom(returnType)) {
			return true;
		}
		ClassLoader loader = returnType.getClassLoader();
		if (loader != null && ClassUtils.isPresent(REACTIVE_STREAMS_PUBLISHER, loader)) {
			return ClassUtils.resolveClassName(REACTIVE_STREAMS_PUBLISHER, loader).isAssignableFrom(returnType);
		}
		return false;
	}

	private static String lowerCamel(String simpleName) {
		return simpleName.isEmpty() ? simpleName : Character.toLowerCase(simpleName.charAt(0)) + simpleName.substring(1);
	}

	private static boolean sameSignature(Method a, Method b) {
		return java.util.Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
	}

	/** The class's own @Public methods in source order, then its superclasses' and interfaces'. */
	private static List<Method> publicMethodsInDeclarationOrder(Class<?> type) {
		List<Method> result = new ArrayList<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			List<Method> declared = new ArrayList<>();
			for (Method method : current.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Public.class) && !method.isBridge() && !method.isSynthetic()) {
					declared.add(method);
				}
			}
			declared.sort(sourceOrder(current));
			result.addAll(declared);
			for (Class<?> contract : current.getInterfaces()) {
				for (Method method : contract.getMethods()) {
					if (method.isAnnotationPresent(Public.class)) {
						try {
							result.add(type.getMethod(method.getName(), method.getParameterTypes()));
						}
						catch (NoSuchMethodException ex) {
							result.add(method);
						}
					}
				}
			}
		}
		return result;
	}

	/** Orders methods as the class file lists them (source order), falling back to names. */
	private static Comparator<Method> sourceOrder(Class<?> type) {
		Map<String, Integer> positions = new HashMap<>();
		try {
			MetadataReader reader = new SimpleMetadataReaderFactory(type.getClassLoader()).getMetadataReader(type.getName());
			int index = 0;
			for (MethodMetadata method : reader.getAnnotationMetadata().getAnnotatedMethods(Public.class.getName())) {
				positions.putIfAbsent(method.getMethodName(), index++);
			}
		}
		catch (Exception | LinkageError ex) {
			// no class file to read (generated classes): names give a stable order
		}
		return Comparator.<Method>comparingInt((method) -> positions.getOrDefault(method.getName(), Integer.MAX_VALUE))
			.thenComparing(Method::getName);
	}

	/** The type name a TypeScript peer would see for a Java type. */
	static String jsTypeName(Class<?> type) {
		if (type == void.class || type == Void.class) {
			return "void";
		}
		if (type == String.class || type == char.class || type == Character.class || CharSequence.class.isAssignableFrom(type)) {
			return "String";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "Boolean";
		}
		if (type.isPrimitive() || (Number.class.isAssignableFrom(type) && type != BigInteger.class)
				|| type == BigDecimal.class) {
			return "Number";
		}
		if (type == BigInteger.class) {
			return "BigInt";
		}
		if (CompletionStage.class.isAssignableFrom(type) || java.util.concurrent.Future.class.isAssignableFrom(type)) {
			return "Promise";
		}
		if (type == byte[].class || type == java.nio.ByteBuffer.class) {
			return "Buffer";
		}
		if (JsMap.class.isAssignableFrom(type)) {
			return "Map";
		}
		if (Set.class.isAssignableFrom(type)) {
			return "Set";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "Array";
		}
		if (type == Instant.class || Date.class.isAssignableFrom(type)) {
			return "Date";
		}
		if (type == Object.class || Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "Object";
		}
		return type.getSimpleName();
	}

	/**
	 * A public property: read and written through its getter and setter when it has them,
	 * else through the field.
	 */
	record Property(String name, Field field, @Nullable Method getter, @Nullable Method setter, boolean readonly,
			Type genericType) {

		static Property of(Class<?> owner, Field field, boolean readonly) {
			String suffix = Character.toUpperCase(field.getName().charAt(0)) + field.getName().substring(1);
			Method getter = findMethod(owner, "get" + suffix, field.getType());
			if (getter == null && (field.getType() == boolean.class)) {
				getter = findMethod(owner, "is" + suffix, field.getType());
			}
			Method setter = readonly ? null : findMethod(owner, "set" + suffix, void.class, field.getType());
			field.trySetAccessible();
			return new Property(field.getName(), field, getter, setter, readonly, field.getGenericType());
		}

		private static @Nullable Method findMethod(Class<?> owner, String name, Class<?> returnType, Class<?>... parameters) {
			try {
				Method method = owner.getMethod(name, parameters);
				return (method.getReturnType() == returnType || returnType == void.class) ? method : null;
			}
			catch (NoSuchMethodException ex) {
				return null;
			}
		}

	}

}
