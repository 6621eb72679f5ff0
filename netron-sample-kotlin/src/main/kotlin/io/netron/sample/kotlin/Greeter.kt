package io.netron.sample.kotlin

import io.netron.annotation.NetronClient
import io.netron.annotation.NetronService
import io.netron.annotation.Public
import io.netron.annotation.RemoteMethod
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** A data class with a default and a nullable property: it travels as a plain object. */
data class Greeting(val name: String, val greeting: String = "Hello", val note: String? = null)

@NetronService("greeter@1.0.0")
class GreeterService {

    /** A suspend function: served without holding a thread while it waits; the default applies when left out. */
    @Public
    suspend fun greet(name: String, greeting: String = "Hello"): Greeting {
        delay(1)
        return Greeting(name, greeting)
    }

    @Public
    fun twice(greeting: Greeting): Greeting = greeting.copy(name = greeting.name + greeting.name)

    /** A Flow: written to the caller as a stream. */
    @Public
    fun countdown(from: Int): Flow<Int> = flow {
        for (i in from downTo 1) {
            emit(i)
        }
    }

    /** A nullable parameter with a default: a caller may leave it out. */
    @Public
    fun label(name: String, suffix: String? = "!"): String = name + (suffix ?: "")

    @Public
    suspend fun slow(): String {
        delay(60_000)
        return "late"
    }
}

/** The application's own client of the greeter: suspend functions suspend instead of blocking. */
@NetronClient(value = "greeter@^1.0.0", peer = "self")
interface GreeterClient {

    suspend fun greet(name: String, greeting: String): Greeting

    @RemoteMethod("greet")
    suspend fun greetByDefault(name: String): Greeting

    suspend fun twice(greeting: Greeting): Greeting

    fun countdown(from: Int): Flow<Int>

    fun label(name: String): String

    suspend fun slow(): String
}
