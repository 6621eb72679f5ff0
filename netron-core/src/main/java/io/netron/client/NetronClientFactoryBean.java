package io.netron.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.netron.NetronException;
import io.netron.core.Failures;
import io.netron.core.PeerDisconnectedException;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

/**
 * Creates the bean of one {@code @NetronClient} interface: a proxy that finds its peer and
 * service on each call, so that it works whether or not the peer was reachable at startup and
 * keeps working across reconnects.
 *
 * @param <T> the client interface
 */
public class NetronClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

	private final Class<T> type;

	private final String service;

	private final String peer;

	private @Nullable BeanFactory beanFactory;

	/**
	 * A factory of the proxy of one client interface.
	 * @param type the interface
	 * @param service the service it calls
	 * @param peer the configured peer; {@code ""} for discovery
	 */
	public NetronClientFactoryBean(Class<T> type, String service, String peer) {
		this.type = type;
		this.service = service;
		this.peer = peer;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public T getObject() {
		BeanFactory factory = this.beanFactory;
		if (factory == null) {
			throw new IllegalStateException("No BeanFactory");
		}
		Handler handler = new Handler(this.type, this.service, this.peer, factory);
		return this.type.cast(Proxy.newProxyInstance(this.type.getClassLoader(), new Class<?>[] { this.type }, handler));
	}

	@Override
	public Class<?> getObjectType() {
		return this.type;
	}

	private static final class Handler implements InvocationHandler {

		private final Class<?> type;

		private final String service;

		private final String peerName;

		private final BeanFactory beanFactory;

		private final java.util.Map<RemotePeer, Bound> bound = new java.util.concurrent.ConcurrentHashMap<>();

		Handler(Class<?> type, String service, String peerName, BeanFactory beanFactory) {
			this.type = type;
			this.service = service;
			this.peerName = peerName;
			this.beanFactory = beanFactory;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> proxy == args[0];
					case "hashCode" -> System.identityHashCode(proxy);
					default -> "NetronClient[" + this.type.getSimpleName() + " -> " + this.service + " on peer '"
							+ this.peerName + "']";
				};
			}
			if (method.isDefault()) {
				return InvocationHandler.invokeDefault(proxy, method, args);
			}
			boolean routed = this.peerName.isEmpty();
			if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
				return invokeAsync(method, args, routed ? 3 : 1);
			}
			for (int attempt = 1;; attempt++) {
				Bound target = target();
				try {
					// straight to the typed proxy's handler: no reflective access to the interface needed
					return Proxy.getInvocationHandler(target.proxy()).invoke(target.proxy(), method, args);
				}
				catch (PeerDisconnectedException ex) {
					if (routed && attempt < 3 && !ex.requestSent()) {
						// the request never left: another node may serve it
						router().unreachable(this.service, target.peer());
						continue;
					}
					throw ex;
				}
			}
		}

		/** An asynchronous call; a routed one that could not be sent is tried on another node. */
		@SuppressWarnings("unchecked")
		private CompletableFuture<Object> invokeAsync(Method method, @Nullable Object[] args, int attemptsLeft) {
			Bound target;
			CompletableFuture<Object> result;
			try {
				target = target();
				result = ((CompletionStage<Object>) Proxy.getInvocationHandler(target.proxy())
					.invoke(target.proxy(), method, args)).toCompletableFuture();
			}
			catch (Throwable ex) {
				return CompletableFuture.failedFuture(ex);
			}
			if (attemptsLeft <= 1) {
				return result;
			}
			return result.exceptionallyCompose((failure) -> {
				Throwable cause = Failures.unwrap(failure);
				if (cause instanceof PeerDisconnectedException disconnected && !disconnected.requestSent()) {
					router().unreachable(this.service, target.peer());
					return invokeAsync(method, args, attemptsLeft - 1);
				}
				return CompletableFuture.failedFuture(failure);
			});
		}

		private ServiceRouter router() {
			ServiceRouter router = this.beanFactory.getBeanProvider(ServiceRouter.class).getIfAvailable();
			if (router == null) {
				throw new NetronException("@NetronClient " + this.type.getName() + " names no peer and service discovery "
						+ "is not available: set peer = \"name\" with netron.peers.<name>.url, or enable netron.discovery");
			}
			return router;
		}

		private Bound target() {
			RemotePeer peer = this.peerName.isEmpty() ? router().route(this.service)
					: this.beanFactory.getBean(NetronPeers.class).peer(this.peerName);
			Bound current = this.bound.get(peer);
			if (current != null && !current.service().isReleased()) {
				return current;
			}
			RemoteService remote = peer.queryInterface(this.service);
			Bound fresh = new Bound(peer, remote, remote.as(this.type));
			this.bound.put(peer, fresh);
			return fresh;
		}

	}

	private record Bound(RemotePeer peer, RemoteService service, Object proxy) {
	}

}
