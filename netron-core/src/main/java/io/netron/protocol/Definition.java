package io.netron.protocol;

/**
 * A service as one node exposes it to another (extension 109).
 *
 * @param id the definition id, unique within the owning node
 * @param parentId the id of the definition that returned this sub-service, {@code ""} for a
 * top-level service
 * @param peerId the id of the node that owns the service
 * @param meta what the service offers
 */
public record Definition(String id, String parentId, String peerId, ServiceMetadata meta) {

}
