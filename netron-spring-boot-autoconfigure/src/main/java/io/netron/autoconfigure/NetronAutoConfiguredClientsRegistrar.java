package io.netron.autoconfigure;

import java.util.List;

import io.netron.client.NetronClientsRegistrar;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;

/**
 * Registers the {@code @NetronClient} interfaces of the application's packages (those of
 * {@code @SpringBootApplication}) when it declares no {@code @EnableNetronClients}.
 */
class NetronAutoConfiguredClientsRegistrar extends NetronClientsRegistrar {

	@Override
	protected List<String> defaultPackages(BeanFactory beanFactory) {
		return AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
	}

}
