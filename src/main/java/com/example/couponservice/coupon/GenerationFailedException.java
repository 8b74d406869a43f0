package com.example.couponservice.coupon;

/**
 * Every candidate code of one generation collided. With 2^40 codes this only happens when
 * the store is close to the size of the code space, or the random source is broken.
 */
public class GenerationFailedException extends RuntimeException {

	GenerationFailedException(int attempts) {
		super("no unused code found in " + attempts + " attempts");
	}

}
