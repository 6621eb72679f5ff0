package io.netron.discovery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A service a node offers, as listed in its registry entry: {@code {"name":..,"version":..}}.
 *
 * @param name the service name
 * @param version its version ({@code ""} for a service without one)
 */
@JsonPropertyOrder({ "name", "version" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceInfo(String name, @Nullable String version) {

	/**
	 * {@code name@version}, or the name alone.
	 * @return {@code name@version}, or the name alone
	 */
	public String qualifiedName() {
		return (this.version == null || this.version.isEmpty()) ? this.name : this.name + "@" + this.version;
	}

}
