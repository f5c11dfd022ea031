document.querySelector('h1').textContent += ', S3';
