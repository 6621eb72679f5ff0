package io.netron.sample.kotlin

import io.netron.client.NetronPeers
import io.netron.test.AutoConfigureNetronInProcess
import io.netron.test.NetronTestClient
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.time.Duration
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment
import org.springframework.core.env.Environment

/**
 * The Kotlin sample's client calls its own service in process: suspend functions on both sides,
 * data classes with defaults, Flow results, a left-out nullable parameter, and a cancelled call.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = ["netron.peers.self.url=inproc://application/netron"])
@AutoConfigureNetronInProcess
class KotlinSampleTests(@Autowired val greeter: GreeterClient, @Autowired val peers: NetronPeers) {

    @Test
    fun suspendFunctionsDataClassesAndDefaults(): Unit = runBlocking {
        assertThat(greeter.greet("Ada", "Hi")).isEqualTo(Greeting("Ada", "Hi"))
        // the service's default for the parameter the client leaves out
        assertThat(greeter.greetByDefault("Ada")).isEqualTo(Greeting("Ada", "Hello"))
        assertThat(greeter.twice(Greeting("Bo", note = "x"))).isEqualTo(Greeting("BoBo", "Hello", "x"))
        assertThat(greeter.label("Ada")).isEqualTo("Ada!")
    }

    @Test
    fun aFlowResultIsAStream(): Unit = runBlocking {
        assertThat(greeter.countdown(3).toList()).containsExactly(3, 2, 1)
    }

    @Test
    fun cancellingTheCoroutineEndsTheCallAtOnce() {
        assertThrows<TimeoutCancellationException> {
            runBlocking {
                withTimeout(200) { greeter.slow() }
            }
        }
        // the caller stops waiting for the answer at once, long before the request timeout (5 s)
        await().atMost(Duration.ofSeconds(2)).until { peers.peer("self").requestsAwaited() == 0 }
    }
}

/** The same client, from outside, over a real WebSocket on a random port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class KotlinSampleEndToEndTests(@Autowired val environment: Environment) {

    @Test
    fun aKotlinClientCallsOverAWebSocket(): Unit = runBlocking {
        NetronTestClient.connect(environment).use { client ->
            // the definition peers see: a suspend function's continuation is not one of its arguments
            val greet = client.service("greeter@1.0.0").metadata().methods()["greet"]!!
            assertThat(greet.arguments()).containsExactly("String", "String")
            val greeter = client.service("greeter@^1.0.0", GreeterClient::class.java)
            assertThat(greeter.greet("Cy", "Hey")).isEqualTo(Greeting("Cy", "Hey"))
            assertThat(greeter.countdown(2).toList()).containsExactly(2, 1)
        }
    }
}
