package dev.shelf.app.security;

import java.util.List;

import dev.shelf.billing.ShopifySessionToken;
import dev.shelf.catalog.ShopId;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** An authenticated request on behalf of a shop; its principal is the {@link ShopId} all data access is scoped by. */
public final class ShopSession extends AbstractAuthenticationToken {

	static final String ROLE = "SHOP";
	/** The request attribute holding the {@link ShopId} of an authenticated request, for layers after security. */
	public static final String SHOP_ID_REQUEST_ATTRIBUTE = ShopId.class.getName();
	/** The request attribute holding the verified session token, for billing's token exchange. */
	public static final String SESSION_TOKEN_REQUEST_ATTRIBUTE = ShopifySessionToken.class.getName();

	private final Jwt token;
	private final ShopId shop;
	private final String myshopifyDomain;

	ShopSession(Jwt token, ShopId shop, String myshopifyDomain) {
		super(List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
		this.token = token;
		this.shop = shop;
		this.myshopifyDomain = myshopifyDomain;
		setAuthenticated(true);
	}

	@Override
	public ShopId getPrincipal() {
		return shop;
	}

	@Override
	public Jwt getCredentials() {
		return token;
	}

	@Override
	public String getName() {
		return myshopifyDomain;
	}
}
