package com.example.couponservice.coupon.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.couponservice.web.FilterOrders;
import com.example.couponservice.web.ProblemResponder;
import com.example.couponservice.web.RequestBodyLimitFilter;

/** The request-body limit of each coupon endpoint, from {@link CouponEndpoint}. */
@Configuration(proxyBeanMethods = false)
class CouponWebConfiguration {

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ProblemResponder problems) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(CouponEndpoint::maxBodyBytes, problems));
		registration.setOrder(FilterOrders.BODY_LIMIT);
		return registration;
	}

}
