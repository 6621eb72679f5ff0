package io.netron.client;

import java.beans.Introspector;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netron.annotation.EnableNetronClients;
import io.netron.annotation.NetronClient;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Registers one lazy bean definition per {@link NetronClient} interface, named after the
 * interface and typed by it. Imported by {@link EnableNetronClients} (its packages) or by the
 * auto-configuration (the application's packages, see {@link #defaultPackages}) when no
 * {@code @EnableNetronClients} is present. Registering never connects.
 */
public class NetronClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, ResourceLoaderAware,
		BeanFactoryAware {

	/** Bean definition attribute: the peer name of a client bean. */
	public static final String PEER_ATTRIBUTE = "netron.client.peer";

	/** Bean definition attribute: the service of a client bean. */
	public static final String SERVICE_ATTRIBUTE = "netron.client.service";

	private static final String EXPLICIT_MARKER = NetronClientsRegistrar.class.getName() + ".explicit";

	private @Nullable Environment environment;

	private @Nullable ResourceLoader resourceLoader;

	private @Nullable BeanFactory beanFactory;

	/** A registrar; Spring creates it for {@code @Import}. */
	public NetronClientsRegistrar() {
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * The packages scanned when this registrar is imported without {@code @EnableNetronClients}:
	 * none here; Spring Boot's auto-configuration scans the application's packages.
	 * @param beanFactory the bean factory being configured
	 * @return the packages to scan for {@code @NetronClient} interfaces
	 */
	protected List<String> defaultPackages(BeanFactory beanFactory) {
		return List.of();
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, @Nullable Object> attributes = metadata.getAnnotationAttributes(EnableNetronClients.class.getName());
		Set<String> packages = new LinkedHashSet<>();
		if (attributes != null) {
			registry.registerBeanDefinition(EXPLICIT_MARKER + "." + metadata.getClassName(), marker());
			for (String name : (String[]) attributes.get("basePackages")) {
				packages.add(name);
			}
			for (Class<?> type : (Class<?>[]) attributes.get("basePackageClasses")) {
				packages.add(ClassUtils.getPackageName(type));
			}
			Class<?>[] clients = (Class<?>[]) attributes.get("clients");
			for (Class<?> client : clients) {
				register(registry, client);
			}
			if (packages.isEmpty() && clients.length == 0) {
				packages.add(ClassUtils.getPackageName(metadata.getClassName()));
			}
		}
		else {
			if (hasExplicitRegistration(registry) || this.beanFactory == null) {
				return;
			}
			packages.addAll(defaultPackages(this.beanFactory));
			if (packages.isEmpty()) {
				return;
			}
		}
		ClassPathScanningCandidateComponentProvider scanner = scanner();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					register(registry, ClassUtils.resolveClassName(className, classLoader()));
				}
			}
		}
	}

	private static RootBeanDefinition marker() {
		RootBeanDefinition marker = new RootBeanDefinition(Object.class);
		marker.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
		return marker;
	}

	private static boolean hasExplicitRegistration(BeanDefinitionRegistry registry) {
		for (String name : registry.getBeanDefinitionNames()) {
			if (name.startsWith(EXPLICIT_MARKER)) {
				return true;
			}
		}
		return false;
	}

	private ClassLoader classLoader() {
		ClassLoader loader = (this.resourceLoader != null) ? this.resourceLoader.getClassLoader() : null;
		return (loader != null) ? loader : ClassUtils.getDefaultClassLoader();
	}

	private ClassPathScanningCandidateComponentProvider scanner() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				(this.environment != null) ? this.environment : new org.springframework.core.env.StandardEnvironment()) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}

		};
		if (this.resourceLoader != null) {
			scanner.setResourceLoader(this.resourceLoader);
		}
		scanner.addIncludeFilter(new AnnotationTypeFilter(NetronClient.class, true, true));
		return scanner;
	}

	static void register(BeanDefinitionRegistry registry, Class<?> type) {
		NetronClient client = AnnotatedElementUtils.findMergedAnnotation(type, NetronClient.class);
		if (client == null || !type.isInterface()) {
			throw new IllegalStateException("@NetronClient must be on an interface: " + type.getName());
		}
		String name = Introspector.decapitalize(type.getSimpleName());
		if (registry.containsBeanDefinition(name)) {
			BeanDefinition existing = registry.getBeanDefinition(name);
			if (type.getName().equals(existing.getAttribute(SERVICE_ATTRIBUTE + ".type"))) {
				return;
			}
			name = type.getName();
		}
		RootBeanDefinition definition = new RootBeanDefinition(NetronClientFactoryBean.class);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, type);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(1, client.value());
		definition.getConstructorArgumentValues().addIndexedArgumentValue(2, client.peer());
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
		definition.setAttribute(PEER_ATTRIBUTE, client.peer());
		definition.setAttribute(SERVICE_ATTRIBUTE, client.value());
		definition.setAttribute(SERVICE_ATTRIBUTE + ".type", type.getName());
		definition.setLazyInit(true);
		definition.setTargetType(type);
		registry.registerBeanDefinition(name, definition);
	}

	/**
	 * The client bean definitions of a registry: bean name, interface, service and peer.
	 * @param beanFactory the bean factory
	 * @return the client beans
	 */
	public static List<ClientDefinition> clients(org.springframework.beans.factory.config.ConfigurableListableBeanFactory beanFactory) {
		List<ClientDefinition> result = new java.util.ArrayList<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(name);
			Object peer = definition.getAttribute(PEER_ATTRIBUTE);
			if (peer instanceof String peerName) {
				result.add(new ClientDefinition(name, String.valueOf(definition.getAttribute(SERVICE_ATTRIBUTE + ".type")),
						String.valueOf(definition.getAttribute(SERVICE_ATTRIBUTE)), peerName));
			}
		}
		return result;
	}

	/**
	 * A registered client.
	 *
	 * @param beanName the bean name
	 * @param type the interface name
	 * @param service the service it calls
	 * @param peer the configured peer, empty for discovery
	 */
	public record ClientDefinition(String beanName, String type, String service, String peer) {
	}

}
