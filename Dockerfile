# dialoog in one small image: `docker build -t dialoog .` then
# `docker run -p 127.0.0.1:3978:3978 -v dialoog-data:/data dialoog`.
# docker-compose.yml adds PostgreSQL. See docs/web.md.

# -- build: install the package and its dependencies into a virtual environment --
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/dialoog
# The dependencies first, from pyproject.toml alone, so that a code change
# does not download them again.
COPY pyproject.toml README.md ./
RUN mkdir bot protocols storage \
    && touch bot/__init__.py protocols/__init__.py storage/__init__.py \
    && /opt/dialoog/bin/pip install --quiet . \
    && /opt/dialoog/bin/pip uninstall --quiet --yes dialoog \
    && rm -rf bot protocols storage build *.egg-info
COPY bot ./bot
COPY protocols ./protocols
COPY storage ./storage
RUN /opt/dialoog/bin/pip install --quiet --no-deps . \
    && /opt/dialoog/bin/dialoog protocols list > /dev/null

# -- run: the environment, a user without rights, a place for the data --
FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home dialoog
COPY --from=build /opt/dialoog /opt/dialoog
# Inside the container every address is "the network": the web chat (no login) is
# served on 0.0.0.0 and kept to this computer by publishing on 127.0.0.1 only (see top).
ENV PATH=/opt/dialoog/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DIALOOG_HOST=0.0.0.0 \
    DIALOOG_WEB_CHAT_WITHOUT_LOGIN_ON_NETWORK=yes \
    DIALOOG_PORT=3978 \
    DIALOOG_DATABASE_URL=sqlite:////data/dialoog.db
USER dialoog
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3978
# The slim image has no curl; Python asks /healthz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('DIALOOG_PORT', '3978'), timeout=4)"
# `serve` migrates the database first, then listens on DIALOOG_HOST:DIALOOG_PORT.
CMD ["dialoog", "serve"]
