package io.netron.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.netron.observation.NetronRequestObservationContext;

/**
 * Records {@code netron.server.requests} and {@code netron.client.requests} observations into
 * timers, as Micrometer's {@code DefaultMeterObservationHandler} does (same names, the same tags,
 * {@code error} included), but finds each request's timer in a cache keyed by its key values
 * instead of building and looking up a meter id on every request, and keeps no long-task timer:
 * an RPC of a few microseconds would otherwise spend a third of its time being measured. The
 * {@code netron.requests.active} gauge counts what the long-task timer would. Spring Boot puts it
 * ahead of its default meter handler, so it takes Netron's requests and leaves everything else.
 */
public class NetronMeterObservationHandler implements MeterObservationHandler<NetronRequestObservationContext> {

	private final MeterRegistry registry;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * A handler recording into a registry.
	 * @param registry the meter registry
	 */
	public NetronMeterObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof NetronRequestObservationContext;
	}

	@Override
	public void onStop(NetronRequestObservationContext context) {
		Throwable error = context.getError();
		TimerKey key = new TimerKey(context.getName(), context.getLowCardinalityKeyValues(),
				(error != null) ? error.getClass().getSimpleName() : "none");
		Timer timer = this.timers.get(key);
		if (timer == null) {
			timer = this.timers.computeIfAbsent(key, this::register);
		}
		timer.record(System.nanoTime() - context.getStartNanos(), TimeUnit.NANOSECONDS);
	}

	private Timer register(TimerKey key) {
		Tags tags = Tags.of(Tag.of("error", key.error()));
		for (KeyValue keyValue : key.keyValues()) {
			tags = tags.and(keyValue.getKey(), keyValue.getValue());
		}
		return Timer.builder(key.name()).tags(tags).register(this.registry);
	}

	/** What tells one timer from another: the observation's name and low cardinality key values. */
	private record TimerKey(String name, KeyValues keyValues, String error) {
	}

}
