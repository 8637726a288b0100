package dev.ghost.common.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * A session whose values GHOST did not write is no session: the request goes on unauthenticated
 * (401 where a credential is needed) and the session is deleted, instead of failing with a 500 or,
 * worse, trusting what someone planted in Redis.
 */
public class UnreadableSessions implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(UnreadableSessions.class);

    @Override
    @SuppressWarnings("unchecked")
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof SessionRepository<?> repository) {
            return new Refusing<>((SessionRepository<Session>) repository);
        }
        return bean;
    }

    private record Refusing<S extends Session>(SessionRepository<S> delegate) implements SessionRepository<S> {

        @Override
        public S createSession() {
            return delegate.createSession();
        }

        @Override
        public void save(S session) {
            delegate.save(session);
        }

        @Override
        public S findById(String id) {
            try {
                return delegate.findById(id);
            } catch (SerializationException e) {
                log.warn("session refused and deleted: it holds values GHOST did not write ({})", e.getMessage());
                delegate.deleteById(id);
                return null;
            }
        }

        @Override
        public void deleteById(String id) {
            delegate.deleteById(id);
        }
    }
}
