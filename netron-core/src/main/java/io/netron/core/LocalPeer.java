package io.netron.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.netron.NetronException;
import io.netron.protocol.Definition;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Reference;
import io.netron.protocol.ServiceMetadata;
import io.netron.protocol.ValueConverter;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.stream.StreamAdapters;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;

/**
 * The services this node serves: exposed top-level services (by qualified name), sub-services
 * handed out by reference, and services peers exposed into this node for relaying.
 */
public final class LocalPeer {

	private final Netron netron;

	/** Top-level services in exposure order (the abilities reply lists them in that order). */
	private final Map<String, ServiceStub> services = Collections.synchronizedMap(new LinkedHashMap<>());

	/** The estimated bytes of the definitions peers expose through this node now. */
	private final java.util.concurrent.atomic.AtomicLong exposedBytes = new java.util.concurrent.atomic.AtomicLong();

	private final Map<String, ServiceStub> stubs = new ConcurrentHashMap<>();

	/** Sub-service stubs by instance, and the peers holding a reference to each. */
	private final Map<Object, SubService> subServices = Collections.synchronizedMap(new IdentityHashMap<>());

	private final Map<Object, ServiceStub> exposedInstances = Collections.synchronizedMap(new IdentityHashMap<>());

	LocalPeer(Netron netron) {
		this.netron = netron;
	}

	/** {@return this node's id} */
	public String id() {
		return this.netron.id();
	}

	ValueConverter converter() {
		return this.netron.codec().values().converter();
	}

	/**
	 * Exposes a {@link io.netron.annotation.NetronService} object to remote peers.
	 * @param instance an object of a {@code @NetronService} class
	 * @return its definition
	 * @throws InvalidServiceException when the object is not a valid service or is already exposed
	 */
	public Definition exposeService(Object instance) {
		ServiceDescriptor descriptor = ServiceDescriptor.forClass(instance.getClass());
		String qualifiedName = descriptor.qualifiedName();
		Definition definition = new Definition(UUID.randomUUID().toString(), "", id(), descriptor.metadata());
		LocalServiceStub stub = new LocalServiceStub(definition, instance, fieldTarget(instance), descriptor, this);
		synchronized (this.exposedInstances) {
			if (this.exposedInstances.containsKey(instance)) {
				throw new InvalidServiceException("Service instance already exposed: " + descriptor.metadata().name());
			}
			if (this.services.putIfAbsent(qualifiedName, stub) != null) {
				throw new InvalidServiceException("Service already exposed: " + qualifiedName);
			}
			this.exposedInstances.put(instance, stub);
			this.stubs.put(definition.id(), stub);
		}
		announceExpose(definition, null);
		return definition;
	}

	/**
	 * Unexposes a top-level service.
	 * @param qualifiedName the service's qualified name
	 * @throws UnknownServiceException "Unknown service: name." when nothing is exposed under that name
	 */
	public void unexposeService(String qualifiedName) {
		ServiceStub stub;
		synchronized (this.exposedInstances) {
			stub = this.services.remove(qualifiedName);
			if (stub == null) {
				throw new UnknownServiceException("Unknown service: " + qualifiedName + ".");
			}
			this.exposedInstances.remove(stub.target());
			this.stubs.remove(stub.definition().id());
		}
		dropChildren(stub.definition().id());
		announceUnexpose(stub.definition(), null);
	}

	/** The {@code expose_service} task: a peer exposes a service through this node. */
	Definition exposeRemoteService(RemotePeer owner, ServiceMetadata meta) {
		String qualifiedName = meta.qualifiedName();
		PeerPolicy policy = this.netron.options().policy();
		String refusal = policy.refuseExposure(owner.principal(), meta.name());
		if (refusal == null && !policy.remoteMayShadowLocal() && servesLocally(meta.name())) {
			refusal = "node " + id() + " serves '" + meta.name() + "' itself (netron.remote-exposure.shadow-local)";
		}
		if (refusal != null) {
			throw JsError.named(RemoteAccessDeniedException.ERROR_NAME,
					"Access denied to expose_service of " + qualifiedName + ": " + refusal);
		}
		// what one peer may make this node hold (definitions, stubs, relays) is bounded too
		long size = meta.estimatedSize();
		if (size > policy.maxDefinitionSize()) {
			throw JsError.named(RemoteAccessDeniedException.ERROR_NAME, "Access denied to expose_service of "
					+ qualifiedName + ": its definition takes about " + size + " bytes, more than the "
					+ policy.maxDefinitionSize() + " a peer may expose (netron.remote-exposure.max-definition-size)");
		}
		if (exposedBy(owner) >= policy.maxExposedServices()) {
			throw JsError.named(RemoteAccessDeniedException.ERROR_NAME, "Access denied to expose_service of "
					+ qualifiedName + ": peer " + owner.id() + " exposes " + policy.maxExposedServices()
					+ " services through node " + id() + " already (netron.remote-exposure.max-services-per-peer)");
		}
		// and what it holds is drawn from the node's budget through the owner's connection, until
		// withdrawn; all peers' definitions together take at most an eighth of it, for a seed-era
		// handshake's answer lists them all, to every newcomer
		long limit = this.netron.memory().limit();
		if (this.exposedBytes.addAndGet(size) > limit / 8) {
			this.exposedBytes.addAndGet(-size);
			throw JsError.named(RemoteOverloadedException.ERROR_NAME, "expose_service of " + qualifiedName + " refused: "
					+ "the services peers expose through node " + id() + " would take more than an eighth of its memory budget of "
					+ limit + " bytes (netron.server.max-buffered-bytes)");
		}
		MemoryBudget.Account memory = owner.memory();
		if (memory != null && !memory.take(size)) {
			this.exposedBytes.addAndGet(-size);
			throw JsError.named(RemoteOverloadedException.ERROR_NAME, "expose_service of " + qualifiedName + " refused: node "
					+ id() + " is over its memory budget of " + limit + " bytes (netron.server.max-buffered-bytes)");
		}
		Definition definition = new Definition(UUID.randomUUID().toString(), "", owner.id(), meta);
		RemoteService relay = owner.registerExposedDefinition(definition);
		RelayServiceStub stub = new RelayServiceStub(definition, relay, memory, size);
		if (this.services.putIfAbsent(qualifiedName, stub) != null) {
			giveBack(stub);
			throw new InvalidServiceException("Service already exposed: " + qualifiedName);
		}
		this.stubs.put(definition.id(), stub);
		announceExpose(definition, owner.id());
		return definition;
	}

	private void giveBack(RelayServiceStub stub) {
		this.exposedBytes.addAndGet(-stub.memoryHeld());
		stub.giveBackMemory();
	}

	/** How many services the peer exposes through this node now. */
	private int exposedBy(RemotePeer owner) {
		int count = 0;
		for (ServiceStub stub : this.services.values()) {
			if (stub instanceof RelayServiceStub relay && relay.target().peer() == owner) {
				count++;
			}
		}
		return count;
	}

	/** Whether a service of this name (any version) is served by this node's own objects. */
	private boolean servesLocally(String name) {
		synchronized (this.services) {
			for (ServiceStub stub : this.services.values()) {
				if (stub instanceof LocalServiceStub && stub.definition().meta().name().equals(name)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The {@code unexpose_service} task: the owner withdraws a service it exposed through this node. */
	String unexposeRemoteService(RemotePeer owner, String qualifiedName) {
		ServiceStub stub = this.services.get(qualifiedName);
		if (!(stub instanceof RelayServiceStub relay) || !relay.target().peer().equals(owner)) {
			throw new UnknownServiceException("Unknown service: " + qualifiedName + ".");
		}
		if (this.services.remove(qualifiedName, stub)) {
			giveBack(relay);
		}
		this.stubs.remove(stub.definition().id());
		owner.forgetDefinition(stub.definition().id());
		dropChildren(stub.definition().id());
		announceUnexpose(stub.definition(), owner.id());
		return stub.definition().id();
	}

	/** Withdraws every service a peer exposed through this node (it disconnected). */
	void unexposeRemoteServices(RemotePeer owner) {
		List<ServiceStub> all;
		synchronized (this.services) {
			all = List.copyOf(this.services.values());
		}
		for (ServiceStub stub : all) {
			if (stub instanceof RelayServiceStub relay && relay.target().peer() == owner) {
				try {
					unexposeRemoteService(owner, stub.definition().meta().qualifiedName());
				}
				catch (UnknownServiceException ex) {
					// already gone
				}
			}
		}
	}

	private void announceExpose(Definition definition, @Nullable String remotePeerId) {
		Map<String, Object> event = serviceEvent(definition.meta(), remotePeerId);
		event.put("definition", definition);
		this.netron.servicesChanged();
		this.netron.events().emitSpecial(NetronEvents.SERVICE_EXPOSE, "svc:" + definition.meta().qualifiedName(), event);
	}

	private void announceUnexpose(Definition definition, @Nullable String remotePeerId) {
		Map<String, Object> event = serviceEvent(definition.meta(), remotePeerId);
		event.put("defId", definition.id());
		this.netron.servicesChanged();
		this.netron.events().emitSpecial(NetronEvents.SERVICE_UNEXPOSE, "svc:" + definition.meta().qualifiedName(), event);
	}

	/** The payload keys both service events share, in the TypeScript order. */
	private Map<String, Object> serviceEvent(ServiceMetadata meta, @Nullable String remotePeerId) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("name", meta.name());
		event.put("version", meta.version());
		event.put("qualifiedName", meta.qualifiedName());
		event.put("peerId", id());
		if (remotePeerId != null) {
			event.put("remotePeerId", remotePeerId);
		}
		return event;
	}

	/** A service this node exposed into a peer: reachable by the definition id the peer assigned. */
	void addStub(Definition definition, Object instance) {
		ServiceDescriptor descriptor = ServiceDescriptor.forClass(instance.getClass());
		this.stubs.put(definition.id(), new LocalServiceStub(definition, instance, fieldTarget(instance), descriptor, this));
	}

	void removeStub(String defId) {
		this.stubs.remove(defId);
	}

	/** {@return the top-level services by qualified name, in exposure order} */
	public Map<String, Definition> services() {
		Map<String, Definition> result = new LinkedHashMap<>();
		synchronized (this.services) {
			this.services.forEach((name, stub) -> result.put(name, stub.definition()));
		}
		return result;
	}

	/** {@return the qualified names of the top-level services} */
	public Set<String> serviceNames() {
		synchronized (this.services) {
			return Set.copyOf(this.services.keySet());
		}
	}

	/**
	 * Whether a definition id is served here (top-level, sub-service or relay).
	 * @param defId a definition id
	 * @return whether it is served
	 */
	public boolean hasDefinition(String defId) {
		return this.stubs.containsKey(defId);
	}

	/**
	 * {@return the stub of a definition id, or of a top-level service addressed by its exact
	 * {@code name@version} as Titan peers may address it; {@code null} when none}
	 */
	@Nullable ServiceStub findStub(String defIdOrName) {
		ServiceStub stub = this.stubs.get(defIdOrName);
		if (stub == null && defIdOrName.indexOf('@') > 0) {
			stub = this.services.get(defIdOrName);
		}
		return stub;
	}

	ServiceStub stub(String defIdOrName) {
		ServiceStub stub = findStub(defIdOrName);
		if (stub == null) {
			if (this.netron.isDraining()) {
				// the node withdrew its services while stopping: the caller should go elsewhere
				throw Refusal.error(Refusal.SERVICE_UNAVAILABLE, "Node " + id() + " is shutting down: request refused");
			}
			// Titan says "Definition" for an id and "Service" for a name (a versionless name included)
			throw Refusal.notFound(JsError.of(JsErrorType.ERROR, "Unknown definition: " + defIdOrName + "."),
					looksLikeUuid(defIdOrName) ? "Definition" : "Service", defIdOrName);
		}
		return stub;
	}

	private static boolean looksLikeUuid(String text) {
		return text.length() == 36 && text.charAt(8) == '-' && text.charAt(13) == '-' && text.charAt(18) == '-'
				&& text.charAt(23) == '-';
	}

	/** A reference a peer passed back: the service object it stands for. */
	Object resolveReference(Reference reference) {
		return stub(reference.defId()).target();
	}

	/**
	 * Makes a result ready for the wire: a service object becomes the definition of a
	 * sub-service held by {@code caller}, anything else passes as it is.
	 */
	@Nullable Object toWire(@Nullable Object result, Definition parent, RemotePeer caller) {
		if (result == null) {
			return null;
		}
		Object stream = StreamAdapters.asOutgoing(result);
		if (stream instanceof NetronWritableStream<?> writer) {
			// the caller reads it: the reference names the caller, writing starts once it is sent
			return caller.streams().bind(writer, caller.id());
		}
		if (stream instanceof NetronReadableStream<?> reader) {
			return caller.streams().bind(reader, id());
		}
		if (result instanceof RemoteService remote) {
			return refService(remote, remote.definition().meta(), parent, caller);
		}
		if (result instanceof NetronProxy proxy) {
			RemoteService remote = proxy.remoteService();
			return refService(remote, remote.definition().meta(), parent, caller);
		}
		if (ServiceDescriptor.isService(result.getClass())) {
			return refService(result, null, parent, caller);
		}
		return result;
	}

	/**
	 * The definition of a sub-service: the same instance always yields the same definition, and
	 * the stub lives while some peer holds a reference to it (or it is a top-level service).
	 */
	private Definition refService(Object instance, @Nullable ServiceMetadata relayedMeta, Definition parent,
			RemotePeer holder) {
		ServiceStub exposed = this.exposedInstances.get(instance);
		if (exposed != null) {
			return exposed.definition();
		}
		synchronized (this.subServices) {
			SubService existing = this.subServices.get(instance);
			if (existing != null) {
				existing.holders().add(holder);
				return existing.stub().definition();
			}
			ServiceStub stub;
			if (instance instanceof RemoteService remote) {
				Definition definition = new Definition(UUID.randomUUID().toString(), parent.id(), id(), relayedMeta);
				stub = new RelayServiceStub(definition, remote);
			}
			else {
				ServiceDescriptor descriptor = ServiceDescriptor.forClass(instance.getClass());
				Definition definition = new Definition(UUID.randomUUID().toString(), parent.id(), id(),
						descriptor.metadata());
				stub = new LocalServiceStub(definition, instance, fieldTarget(instance), descriptor, this);
			}
			SubService sub = new SubService(stub, ConcurrentHashMap.newKeySet());
			sub.holders().add(holder);
			this.subServices.put(instance, sub);
			this.stubs.put(stub.definition().id(), stub);
			return stub.definition();
		}
	}

	/** The {@code unref_service} task: {@code holder} released its last reference to a sub-service. */
	void unrefService(String defId, RemotePeer holder) {
		ServiceStub stub = this.stubs.get(defId);
		if (stub == null) {
			return;
		}
		synchronized (this.subServices) {
			SubService sub = this.subServices.get(stub.target());
			if (sub != null && sub.stub() == stub) {
				sub.holders().remove(holder);
				if (sub.holders().isEmpty()) {
					this.subServices.remove(stub.target());
					this.stubs.remove(defId);
				}
			}
		}
	}

	/** Drops every sub-service reference a peer held (it disconnected). */
	void releaseHolder(RemotePeer holder) {
		synchronized (this.subServices) {
			for (Object instance : new ArrayList<>(this.subServices.keySet())) {
				SubService sub = this.subServices.get(instance);
				sub.holders().remove(holder);
				if (sub.holders().isEmpty()) {
					this.subServices.remove(instance);
					this.stubs.remove(sub.stub().definition().id());
				}
			}
		}
	}

	/** Forgets sub-services handed out by a service that is no longer exposed. */
	private void dropChildren(String parentId) {
		synchronized (this.subServices) {
			for (Object instance : new ArrayList<>(this.subServices.keySet())) {
				SubService sub = this.subServices.get(instance);
				if (sub.stub().definition().parentId().equals(parentId)) {
					this.subServices.remove(instance);
					this.stubs.remove(sub.stub().definition().id());
					dropChildren(sub.stub().definition().id());
				}
			}
		}
	}

	private static Object fieldTarget(Object instance) {
		if (AopUtils.isAopProxy(instance)) {
			Object target = AopProxyUtils.getSingletonTarget(instance);
			if (target != null) {
				return target;
			}
		}
		return instance;
	}

	/** A sub-service and the connections holding it (peers by identity: one per connection). */
	private record SubService(ServiceStub stub, Set<RemotePeer> holders) {
	}

}
