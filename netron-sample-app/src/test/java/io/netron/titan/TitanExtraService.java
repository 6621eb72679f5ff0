package io.netron.titan;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.TitanError;
import io.netron.stream.NetronWritableStream;

import org.jspecify.annotations.Nullable;

/**
 * {@code extrasvc@1.0.0}, for {@code TitanFramesReplayTests}: the service the Titan wire vectors
 * were captured with beside {@code conformance@1.0.0}, with a method that throws a
 * {@code TitanError} and a stream that fails after its first item. Outside the sample's package,
 * so that the sample's component scan does not pick it up for other tests.
 */
@NetronService("extrasvc@1.0.0")
public class TitanExtraService {

	/** Throws Titan's {@code Errors.notFound('Thing', id)}. */
	@Public
	public String titanFail(String id) {
		Map<String, @Nullable Object> details = new LinkedHashMap<>();
		details.put("resource", "Thing");
		details.put("id", id);
		throw TitanError.of(404, "Thing with id " + id + " not found", details);
	}

	/** One item, then the stream fails with "stream boom". */
	@Public
	public NetronWritableStream<Integer> failingStream(double n) {
		NetronWritableStream<Integer> stream = NetronWritableStream.create();
		stream.write(0);
		stream.error(new IllegalStateException("stream boom"));
		return stream;
	}

}
